package dev.ioserverless.inbox;

import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.PaymentData;
import java.time.Instant;

/**
 * Where a message's payment notice stands for the citizen:
 *
 * <ul>
 *   <li>PAID once a receipt paid it (whatever the date);
 *   <li>EXPIRED when the notice says {@code invalid_after_due_date} and its due date has passed:
 *       it can no longer be paid;
 *   <li>NOT_PAID otherwise, payable (a notice without {@code invalid_after_due_date} stays payable
 *       after its due date, as pagoPA allows).
 * </ul>
 */
public enum NoticeState {
    PAID,
    NOT_PAID,
    EXPIRED;

    /** The state of the message's notice, or null when it carries none. */
    public static NoticeState of(Message message, Instant now) {
        PaymentData payment = message.content().paymentData();
        if (payment == null) {
            return null;
        }
        if (message.paidAt() != null) {
            return PAID;
        }
        Instant due = message.content().dueDate();
        if (payment.invalidAfterDueDate() && due != null && now.isAfter(due)) {
            return EXPIRED;
        }
        return NOT_PAID;
    }

    public boolean payable() {
        return this == NOT_PAID;
    }
}
