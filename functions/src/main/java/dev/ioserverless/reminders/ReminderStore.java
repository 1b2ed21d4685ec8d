package dev.ioserverless.reminders;

import java.time.Instant;
import java.util.Optional;

/** The payment reminders' view of the message status items, and the index of the reminders due. */
public interface ReminderStore {

    /** A message the index says is due, with {@code next_reminder_at} as the index holds it. */
    record Due(String messageId, String nextReminderAt) {
    }

    /**
     * The messages of one shard ("0" to "15") whose next reminder is due at or before {@code now},
     * earliest first, read a page at a time as they are iterated. The index is eventually
     * consistent: re-read each one with {@link #find} before deciding.
     */
    Iterable<Due> due(String shard, Instant now);

    /** The message's status item, read consistently; empty when there is none. */
    Optional<PaymentReminderState> find(String messageId);

    /**
     * Records a decision, only if {@code next_reminder_at} is still {@code expectedNextReminderAt}
     * (the payment side removes it, another run advances it): appends {@code slot} when given, forgets
     * the attempts counted ({@link #countAttempt}), and sets {@code next_reminder_at} to {@code next}, or, when
     * empty, removes it and {@code reminder_shard} so the message leaves the index.
     *
     * @return false when the condition failed and nothing was written
     */
    boolean advance(String messageId, String expectedNextReminderAt, Optional<ReminderSlot> slot, Optional<Instant> next);

    /**
     * Notes that a run pushed the reminder due to only some devices ({@code attempts} so far), under
     * the same condition as {@link #advance}, leaving the message due for the next run.
     *
     * @return false when the condition failed and nothing was written
     */
    boolean countAttempt(String messageId, String expectedNextReminderAt, int attempts);
}
