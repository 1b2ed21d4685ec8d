package dev.ioserverless.reminders;

import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message as its reminders see it: what its status item says, read consistently just before
 * deciding. Never its content, only the subject a FULL push may show.
 *
 * @param paymentNotice whether the message carries a payment notice
 * @param dueDate null when the message has none
 * @param paidAt null while unpaid
 * @param subject the message's subject, for a citizen who chose FULL push content
 * @param used the reminders used so far (sent or skipped), oldest first
 * @param nextReminderAt {@code next_reminder_at} exactly as stored, the condition of the write
 *     that follows the decision; null when absent
 * @param attempts runs that pushed the reminder due now to only some of the devices so far
 */
public record PaymentReminderState(
        String messageId,
        String fiscalCode,
        String senderServiceId,
        MessageStatus status,
        FeatureLevelType featureLevel,
        boolean paymentNotice,
        Instant dueDate,
        Instant paidAt,
        boolean requireSecureChannels,
        String subject,
        List<ReminderSlot> used,
        String nextReminderAt,
        int attempts) {

    public PaymentReminderState {
        Objects.requireNonNull(messageId, "messageId");
        used = List.copyOf(used);
    }

    /** The reminders sent to the citizen's devices, oldest first: what the sender is shown. */
    public List<ReminderSlot> sent() {
        return used.stream().filter(ReminderSlot::sent).toList();
    }

    @Override
    public String toString() {
        // No fiscal code, no subject.
        return "PaymentReminderState[messageId=" + messageId + ", status=" + status + ", used=" + used.size() + "]";
    }
}
