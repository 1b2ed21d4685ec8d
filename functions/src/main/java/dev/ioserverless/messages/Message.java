package dev.ioserverless.messages;

import java.time.Instant;

/**
 * A message as stored: who sent it to whom, what it says, where its processing stands, and what
 * happened to it afterwards.
 *
 * <p>It is stored as two items (see {@link DynamoMessageStore}): the content, written once, and a
 * small status item. The last five components are written by other parts of the platform onto the
 * status item, each with an UpdateItem that touches only its own attributes; submission and
 * processing never write them:
 *
 * <ul>
 *   <li>{@code notification_webhook} (S: SENT, THROTTLED, EXPIRED or FAILED) and
 *       {@code notification_updated_at} (S, timestamp): the push channel's status, written by the
 *       push notification function. IO calls the push channel "webhook". Absent while nothing
 *       was attempted (for example, the citizen has no device).
 *   <li>{@code read_at} (S, timestamp): when the citizen first opened the message in the app.
 *       Written once by the citizen API (later reads keep the first time). Present means READ.
 *   <li>{@code paid_at} (S, timestamp): when the payment notice of the message was paid. Written
 *       once by the payment callback. Present means PAID.
 *   <li>{@code is_archived} (BOOL): the citizen moved the message to the archive. Written by the
 *       citizen API, which also moves the message's entry in the inbox index.
 *   <li>{@code precondition_accepted_at} (S, timestamp): when the citizen accepted a ONCE
 *       precondition, by opening the third-party message after being shown it. Written once by
 *       the citizen API.
 * </ul>
 *
 * Timestamps are in {@link dev.ioserverless.common.Timestamps}' format.
 *
 * @param id a ULID
 * @param rejectionReason set only when {@code status} is REJECTED
 * @param notificationWebhook the push channel's status; null when none was recorded
 * @param notificationUpdatedAt when the push channel's status was recorded; null with it
 * @param readAt when the citizen read the message; null while unread
 * @param paidAt when the payment notice was paid; null while unpaid
 * @param receiptId the receipt that paid it; null while unpaid
 * @param archived the citizen archived the message
 * @param preconditionAcceptedAt when the citizen accepted its ONCE precondition; null otherwise
 * @param notificationEmail the email channel's status ({@code notification_email}, written by the
 *     email notification function); null when no email was attempted
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
        Instant statusUpdatedAt,
        NotificationChannelStatus notificationWebhook,
        Instant notificationUpdatedAt,
        Instant readAt,
        Instant paidAt,
        String receiptId,
        boolean archived,
        Instant preconditionAcceptedAt,
        NotificationChannelStatus notificationEmail) {

    public Message {
        MessageStatus.checkReason(status, rejectionReason);
    }

    /** A message nothing has happened to after processing (no notification, unread, unpaid). */
    public Message(
            String id, String fiscalCode, String senderServiceId, Instant createdAt, int timeToLive,
            FeatureLevelType featureLevelType, MessageContent content, MessageStatus status,
            RejectionReason rejectionReason, Instant statusUpdatedAt) {
        this(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content, status,
                rejectionReason, statusUpdatedAt, null, null, null, null, null, false, null, null);
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

    /** When notifications stop being sent: {@code created_at + time_to_live}. */
    public Instant expiresAt() {
        return createdAt.plusSeconds(timeToLive);
    }

    /** This message with another status (the rest unchanged). */
    public Message withStatus(MessageStatus newStatus, RejectionReason reason, Instant at) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                newStatus, reason, at, notificationWebhook, notificationUpdatedAt, readAt, paidAt, receiptId, archived, preconditionAcceptedAt, notificationEmail);
    }

    /** This message with the push channel's status recorded at {@code at}. */
    public Message withNotification(NotificationChannelStatus webhook, Instant at) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                status, rejectionReason, statusUpdatedAt, webhook, at, readAt, paidAt, receiptId, archived, preconditionAcceptedAt, notificationEmail);
    }

    /** This message read by the citizen at {@code at}. */
    public Message withReadAt(Instant at) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                status, rejectionReason, statusUpdatedAt, notificationWebhook, notificationUpdatedAt, at, paidAt, receiptId, archived, preconditionAcceptedAt, notificationEmail);
    }

    /** This message with its payment notice paid at {@code at} by the receipt {@code receipt}. */
    public Message withPaid(Instant at, String receipt) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                status, rejectionReason, statusUpdatedAt, notificationWebhook, notificationUpdatedAt, readAt, at, receipt,
                archived, preconditionAcceptedAt, notificationEmail);
    }

    /** This message moved to the citizen's archive ({@code true}) or back to the inbox. */
    public Message withArchived(boolean isArchived) {
        return new Message(id, fiscalCode, senderServiceId, createdAt, timeToLive, featureLevelType, content,
                status, rejectionReason, statusUpdatedAt, notificationWebhook, notificationUpdatedAt, readAt, paidAt,
                receiptId, isArchived, preconditionAcceptedAt, notificationEmail);
    }
}
