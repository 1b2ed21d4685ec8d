package dev.ioserverless.messages;

import java.util.Optional;

/** Messages and their status. */
public interface MessageStore extends MessageStatusTransitions {

    /**
     * Stores a new message; never overwrites one. Throws {@link IllegalStateException} if a message
     * with the same id exists.
     */
    void create(Message message);

    /** The message as last written (a strongly consistent read). */
    Optional<Message> find(String id);

    /** The message without its content, as last written (a strongly consistent read). */
    default Optional<MessageHeader> findHeader(String id) {
        return find(id).map(MessageHeader::of);
    }
}
