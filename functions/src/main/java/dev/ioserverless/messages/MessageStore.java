package dev.ioserverless.messages;

import java.time.Instant;
import java.util.Optional;

/** Messages and their status. */
public interface MessageStore extends MessageStatusTransitions {

    /**
     * Stores a new message; never overwrites one. Throws {@link IllegalStateException} if another
     * message with the same id exists; creating the same message again completes it.
     */
    void create(Message message);

    /**
     * Records that the message is settled (PROCESSED and announced, REJECTED, or FAILED): the
     * sweeper of messages left unqueued stops looking at it. A store without that sweeper does
     * nothing.
     */
    default void settle(String id) {
    }

    /** The message as last written (a strongly consistent read). */
    Optional<Message> find(String id);

    /**
     * The message and the payment reminders sent for it, oldest first, as last written (a strongly
     * consistent read). A store that keeps no reminders answers an empty list.
     */
    default Optional<MessageWithReminders> findWithReminders(String id) {
        return find(id).map(message -> new MessageWithReminders(message, java.util.List.of()));
    }

    /**
     * Records that the MessageProcessed event of a PROCESSED message was published, at {@code at}
     * ({@link MessageHeader#announcedAt()}); the first record stands. A message that is not
     * PROCESSED, or does not exist, is left alone.
     */
    void markAnnounced(String id, Instant at);

    /** The message without its content, as last written (a strongly consistent read). */
    default Optional<MessageHeader> findHeader(String id) {
        return find(id).map(MessageHeader::of);
    }
}
