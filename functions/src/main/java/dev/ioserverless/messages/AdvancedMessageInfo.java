package dev.ioserverless.messages;

import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import java.util.Optional;

/**
 * IO's rules for the advanced properties of a message read by its sender ({@code read_status} and
 * {@code payment_status} of {@code GET /messages/{fiscal_code}/{id}}):
 *
 * <ul>
 *   <li>Both appear only for an ADVANCED message, read by a service with group
 *       ApiMessageReadAdvanced, once the message is PROCESSED (in the citizen's inbox; IO shows
 *       them only for messages no longer pending).
 *   <li>{@code read_status}: UNAVAILABLE when the citizen does not share read status with the
 *       service; otherwise READ when the message has a {@code read_at}, UNREAD when not.
 *   <li>{@code payment_status}: only when the message carries a payment notice with a payee
 *       (submission gives every notice one); PAID when it has a {@code paid_at}, NOT_PAID when not.
 * </ul>
 */
public final class AdvancedMessageInfo {
    private AdvancedMessageInfo() {
    }

    public static boolean isVisible(Message message, Service reader) {
        return message.featureLevelType() == FeatureLevelType.ADVANCED
                && reader.hasGroup(ServiceGroup.ApiMessageReadAdvanced)
                && message.status() == MessageStatus.PROCESSED;
    }

    public static ReadStatus readStatus(Message message, boolean sharedWithSender) {
        if (!sharedWithSender) {
            return ReadStatus.UNAVAILABLE;
        }
        return message.readAt() != null ? ReadStatus.READ : ReadStatus.UNREAD;
    }

    public static Optional<PaymentStatus> paymentStatus(Message message) {
        PaymentData payment = message.content().paymentData();
        if (payment == null || !payment.hasPayee()) {
            return Optional.empty();
        }
        return Optional.of(message.paidAt() != null ? PaymentStatus.PAID : PaymentStatus.NOT_PAID);
    }
}
