package dev.ioserverless.reminders;

/** IO's notification types for payment reminders. */
public enum ReminderKind {
    /** "You have a notice to pay": from 13 days before the due date, at most 4, at least 3 days apart. */
    REMINDER_PAYMENT,
    /** "Your notice is due tomorrow": on the day before the due date, once. */
    REMINDER_PAYMENT_LAST
}
