package dev.ioserverless.messages;

/** Why a message was REJECTED (IO's {@code RejectedMessageStatusValue.rejection_reason}). */
public enum RejectionReason {
    /** The recipient has no profile. */
    USER_NOT_FOUND,
    /** The recipient's inbox is off, or their preferences do not allow the sending service. */
    SERVICE_NOT_ALLOWED
}
