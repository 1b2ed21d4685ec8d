package dev.ioserverless.messages;

import java.time.Instant;

/** Moving a message from one status to another. */
public interface MessageStatusTransitions {

    /**
     * Moves the message to {@code target} if {@link MessageStatus} allows it from the current
     * status, atomically (a conditional write). {@code reason} must be given for REJECTED and only
     * for it. {@code at} becomes {@code status_updated_at} when the status changes.
     */
    StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at);

    /**
     * Whether the message is PROCESSED but its MessageProcessed event is not recorded as published
     * ({@link MessageHeader#announced()}), as last written (a strongly consistent read).
     */
    boolean awaitsAnnouncement(String id);
}
