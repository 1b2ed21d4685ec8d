package dev.ioserverless.messages;

/** IO's {@code ReadStatus}: whether the citizen read an ADVANCED message, as its sender may see it. */
public enum ReadStatus {
    READ,
    UNREAD,
    /** The citizen does not share read status with this service. */
    UNAVAILABLE
}
