package dev.ioserverless.messages;

import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.reminders.ReminderSlot;
import java.util.List;
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
 *   <li>{@code reminders} (the {@code /api/v2} detail view only): when {@code payment_status} is
 *       shown and the message has a due date, the payment reminders sent for it, oldest first
 *       (empty until the first); never the ones the citizen's settings skipped.
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

    /** The reminders the sender is shown, under the rules above; empty when none are shown at all. */
    public static Optional<List<ReminderSlot>> reminders(Message message, List<ReminderSlot> sent) {
        return paymentStatus(message).isPresent() && message.content().dueDate() != null
                ? Optional.of(sent) : Optional.empty();
    }

    public static Optional<PaymentStatus> paymentStatus(Message message) {
        PaymentData payment = message.content().paymentData();
        if (payment == null || !payment.hasPayee()) {
            return Optional.empty();
        }
        return Optional.of(message.paidAt() != null ? PaymentStatus.PAID : PaymentStatus.NOT_PAID);
    }
}
