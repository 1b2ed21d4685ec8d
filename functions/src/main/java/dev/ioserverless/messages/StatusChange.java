package dev.ioserverless.messages;

/** What a requested status transition did. None of these is an error. */
public enum StatusChange {
    /** The status moved to the requested one. */
    APPLIED,
    /** The message already had the requested status (and reason): a repeated transition, a no-op. */
    UNCHANGED,
    /** The current status may not move to the requested one (it is final): nothing changed. */
    REFUSED,
    /** There is no message with that id. */
    NOT_FOUND
}
