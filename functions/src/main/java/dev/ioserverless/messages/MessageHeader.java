package dev.ioserverless.messages;

import java.time.Instant;

/**
 * A message without its content: what processing decides by and announces. It is the status item
 * alone (see {@link DynamoMessageStore}), a few hundred bytes to read whatever the content's size.
 *
 * @param rejectionReason set only when {@code status} is REJECTED
 */
public record MessageHeader(
        String id,
        String fiscalCode,
        String senderServiceId,
        Instant createdAt,
        int timeToLive,
        FeatureLevelType featureLevelType,
        MessageStatus status,
        RejectionReason rejectionReason,
        boolean requireSecureChannels) {

    public static MessageHeader of(Message message) {
        return new MessageHeader(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), message.featureLevelType(), message.status(), message.rejectionReason(),
                message.content().secureChannelsRequired());
    }
}
