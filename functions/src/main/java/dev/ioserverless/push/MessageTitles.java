package dev.ioserverless.push;

import java.util.Optional;

/**
 * What the push reads of a message's status item: its subject, for the push of a citizen who chose
 * to see it, and its recipient, which the MessageProcessed event no longer carries (no fiscal code
 * travels through SNS and SQS).
 */
public interface MessageTitles {
    MessageTitles NONE = messageId -> Optional.empty();

    Optional<String> titleOf(String messageId);

    /** The message's recipient; empty when there is no such message (or no store to ask). */
    default Optional<String> recipientOf(String messageId) {
        return Optional.empty();
    }
}
