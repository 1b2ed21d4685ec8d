package dev.ioserverless.reminders;

import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reminder run does with one message it found due in the reminders index, from its status
 * item as just read:
 *
 * <ul>
 *   <li>REJECTED or FAILED (never in the inbox), paid, or not an ADVANCED message with a payment
 *       notice and a due date: {@link Action#DROP}, out of the index.
 *   <li>ACCEPTED (not processed yet): {@link Action#WAIT}, unchanged, so a later run tries again;
 *       {@link Action#DROP} if no reminder can be due any more anyway.
 *   <li>PROCESSED with a reminder due now ({@link ReminderSchedule#due}): {@link Action#REMIND}.
 *   <li>PROCESSED with none due now: {@link Action#RESCHEDULE} to when the next is due, or
 *       {@link Action#DROP} when none can be any more.
 * </ul>
 *
 * After a reminder is sent or skipped, {@link #after} says when the next one is due.
 *
 * @param reminder the reminder due, for REMIND
 * @param next when the next reminder is due, for RESCHEDULE
 * @param reason a short, stable name of the rule that decided, for logs
 */
public record ReminderDecision(Action action, Reminder reminder, Instant next, String reason) {

    public enum Action { REMIND, RESCHEDULE, WAIT, DROP }

    public static ReminderDecision decide(PaymentReminderState state, Instant now) {
        if (state.status() == MessageStatus.REJECTED || state.status() == MessageStatus.FAILED) {
            return drop("NOT_DELIVERED");
        }
        if (state.paidAt() != null) {
            return drop("PAID");
        }
        if (state.featureLevel() != FeatureLevelType.ADVANCED || !state.paymentNotice() || state.dueDate() == null) {
            return drop("NOT_A_REMINDED_NOTICE");
        }
        Optional<Instant> next = ReminderSchedule.next(state.dueDate(), state.used(), now);
        if (state.status() == MessageStatus.ACCEPTED) {
            return next.isPresent() ? new ReminderDecision(Action.WAIT, null, null, "NOT_PROCESSED_YET")
                    : drop("NOTHING_MORE_DUE");
        }
        Optional<Reminder> due = ReminderSchedule.due(state.dueDate(), state.used(), now);
        if (due.isPresent()) {
            return new ReminderDecision(Action.REMIND, due.get(), null, "DUE");
        }
        return next.map(at -> new ReminderDecision(Action.RESCHEDULE, null, at, "NOT_DUE_YET"))
                .orElseGet(() -> drop("NOTHING_MORE_DUE"));
    }

    /** The reminders used once {@code slot} is, and when the next one is due after it (empty: none). */
    public static Optional<Instant> after(PaymentReminderState state, ReminderSlot slot) {
        List<ReminderSlot> used = new ArrayList<>(state.used());
        used.add(slot);
        // Always later than the slot: a reminder just used is not due again, nor another one at once.
        return ReminderSchedule.next(state.dueDate(), used, slot.at());
    }

    private static ReminderDecision drop(String reason) {
        return new ReminderDecision(Action.DROP, null, null, reason);
    }
}
