package dev.ioserverless.reminders;

import java.time.Instant;
import java.util.Objects;

/**
 * A reminder the schedule has used up: sent to the citizen's devices at {@code at}, or skipped at
 * {@code at} (the citizen turned reminders or the service's pushes off, or had no device that
 * could get it). A skipped reminder counts like a sent one for the schedule (the maximum and the
 * spacing), as IO counts a reminder its notify step drops; only sent ones are shown to the sender.
 */
public record ReminderSlot(ReminderKind kind, Instant at, boolean sent) {

    public ReminderSlot {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    public static ReminderSlot sent(ReminderKind kind, Instant at) {
        return new ReminderSlot(kind, at, true);
    }

    public static ReminderSlot skipped(ReminderKind kind, Instant at) {
        return new ReminderSlot(kind, at, false);
    }
}
