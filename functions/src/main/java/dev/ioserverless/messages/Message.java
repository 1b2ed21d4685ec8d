package dev.ioserverless.messages;

import java.time.Instant;

/**
 * A message as stored: who sent it to whom, what it says, and where its processing stands.
 *
 * @param id a ULID
 * @param rejectionReason set only when {@code status} is REJECTED
 */
public record Message(
        String id,
        String fiscalCode,
        String senderServiceId,
        Instant createdAt,
        int timeToLive,
        FeatureLevelType featureLevelType,
        MessageContent content,
        MessageStatus status,
        RejectionReason rejectionReason,
        Instant statusUpdatedAt) {

    public Message {
        MessageStatus.checkReason(status, rejectionReason);
    }

    /** A newly submitted message, status ACCEPTED. */
    public static Message accepted(
            String id, String fiscalCode, String senderServiceId, Instant createdAt, int timeToLive,
            FeatureLevelType featureLevelType, MessageContent content) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                MessageStatus.ACCEPTED, null, createdAt);
    }

    /**
     * Whether a service reading {@code fiscalCode}'s message may see this one: only the service
     * that sent it, and only under the recipient's fiscal code. Anything else must look exactly
     * like a message that does not exist.
     */
    public boolean isVisibleTo(String serviceId, String fiscalCode) {
        return senderServiceId.equals(serviceId) && this.fiscalCode.equals(fiscalCode);
    }
}
