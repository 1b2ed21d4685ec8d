package dev.ioserverless.messages;

import dev.ioserverless.reminders.ReminderSlot;
import java.util.List;

/**
 * A message with the payment reminders sent to the citizen's devices about it, oldest first: what
 * its sender's detail view shows.
 */
public record MessageWithReminders(Message message, List<ReminderSlot> remindersSent) {

    public MessageWithReminders {
        remindersSent = List.copyOf(remindersSent);
    }
}
