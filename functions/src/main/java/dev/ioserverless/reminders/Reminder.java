package dev.ioserverless.reminders;

import java.util.Objects;

/**
 * One particular reminder of a message: the {@code number}-th REMINDER_PAYMENT (1 to
 * {@link ReminderSchedule#MAX_PAYMENT_REMINDERS}), or the REMINDER_PAYMENT_LAST (number 0).
 * Each is a notification of its own, pushed to each device at most once.
 */
public record Reminder(ReminderKind kind, int number) {

    public static final Reminder LAST = new Reminder(ReminderKind.REMINDER_PAYMENT_LAST, 0);

    public Reminder {
        Objects.requireNonNull(kind, "kind");
        if (kind == ReminderKind.REMINDER_PAYMENT
                ? number < 1 || number > ReminderSchedule.MAX_PAYMENT_REMINDERS : number != 0) {
            throw new IllegalArgumentException("no " + kind + " number " + number);
        }
    }

    public static Reminder payment(int number) {
        return new Reminder(ReminderKind.REMINDER_PAYMENT, number);
    }

    /**
     * Its kind in the push ledger: {@code REMINDER_PAYMENT#1} to {@code #4}, or
     * {@code REMINDER_PAYMENT_LAST}. Distinct from the message's own push ({@code MESSAGE}) and from
     * every other reminder of the message.
     */
    public String deliveryKind() {
        return kind == ReminderKind.REMINDER_PAYMENT ? kind.name() + "#" + number : kind.name();
    }

    @Override
    public String toString() {
        return deliveryKind();
    }
}
