package dev.ioserverless.messages;

import java.time.Instant;

/**
 * A message without its content: what processing decides by and announces. It is the status item
 * alone (see {@link DynamoMessageStore}), a few hundred bytes to read whatever the content's size.
 *
 * @param rejectionReason set only when {@code status} is REJECTED
 * @param rptId the payment notice's rptId (payee fiscal code + notice number), null without a notice
 * @param announcedAt when the MessageProcessed event of a PROCESSED message was published (its
 *     {@code announced_at}); null while it has not been
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
        boolean requireSecureChannels,
        String rptId,
        Instant announcedAt) {

    /** The header of a message whose MessageProcessed event has not been published. */
    public static MessageHeader of(Message message) {
        return of(message, null);
    }

    public static MessageHeader of(Message message, Instant announcedAt) {
        PaymentData payment = message.content().paymentData();
        return new MessageHeader(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), message.featureLevelType(), message.status(), message.rejectionReason(),
                message.content().secureChannelsRequired(),
                payment != null && payment.hasPayee() ? payment.payeeFiscalCode() + payment.noticeNumber() : null,
                announcedAt);
    }

    /** Whether the MessageProcessed event was published (and that recorded). */
    public boolean announced() {
        return announcedAt != null;
    }
}
