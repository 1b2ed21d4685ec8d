package dev.ioserverless.messages;

import java.time.Instant;
import java.util.Optional;

/** Messages and their status. */
public interface MessageStore {

    /**
     * Stores a new message; never overwrites one. Throws {@link IllegalStateException} if a message
     * with the same id exists.
     */
    void create(Message message);

    /** The message as last written (a strongly consistent read). */
    Optional<Message> find(String id);

    /**
     * Moves the message to {@code target} if {@link MessageStatus} allows it from the current
     * status, atomically (a conditional write). {@code reason} must be given for REJECTED and only
     * for it. {@code at} becomes {@code status_updated_at} when the status changes.
     */
    StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at);
}
