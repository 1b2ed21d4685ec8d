package dev.ioserverless.reminders;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reminders' status items in memory, with the DynamoDB store's conditions: an index over the
 * items that have a {@code next_reminder_at}, a conditional advance. It counts its calls and can be
 * told to fail, or to let something happen just before a write.
 */
final class InMemoryReminderStore implements ReminderStore {
    private final Map<String, PaymentReminderState> items = new ConcurrentHashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Thrown by the next advance (then cleared): a run that crashes after pushing, before recording. */
    volatile RuntimeException failNextAdvance;
    /** The message whose every advance fails. */
    volatile String failAdvancesOf;
    /** Runs just before each advance, as another writer would act between a run's read and its write. */
    volatile Runnable beforeAdvance = () -> { };

    void put(PaymentReminderState state) {
        items.put(state.messageId(), state);
    }

    PaymentReminderState get(String id) {
        return items.get(id);
    }

    /** What the payment side does: {@code SET paid_at REMOVE next_reminder_at, reminder_shard}. */
    void pay(String id, Instant at) {
        PaymentReminderState s = items.get(id);
        items.put(id, new PaymentReminderState(s.messageId(), s.fiscalCode(), s.senderServiceId(), s.status(),
                s.featureLevel(), s.paymentNotice(), s.dueDate(), at, s.requireSecureChannels(), s.subject(), s.used(),
                null, s.attempts()));
    }

    @Override
    public Iterable<Due> due(String shard, Instant now) {
        calls.add("due " + shard);
        String limit = Timestamps.format(now);
        return items.values().stream()
                .filter(s -> s.nextReminderAt() != null && ReminderSchedule.shardOf(s.messageId()).equals(shard))
                .filter(s -> s.nextReminderAt().compareTo(limit) <= 0)
                .sorted(Comparator.comparing(PaymentReminderState::nextReminderAt))
                .map(s -> new Due(s.messageId(), s.nextReminderAt()))
                .toList();
    }

    @Override
    public Optional<PaymentReminderState> find(String messageId) {
        calls.add("find");
        return Optional.ofNullable(items.get(messageId));
    }

    @Override
    public synchronized boolean advance(String messageId, String expected, Optional<ReminderSlot> slot,
                                        Optional<Instant> next) {
        calls.add("advance");
        beforeAdvance.run();
        if (messageId.equals(failAdvancesOf)) {
            throw new IllegalStateException("DynamoDB unavailable");
        }
        RuntimeException failure = failNextAdvance;
        if (failure != null) {
            failNextAdvance = null;
            throw failure;
        }
        PaymentReminderState s = items.get(messageId);
        if (s == null || s.nextReminderAt() == null || !s.nextReminderAt().equals(expected)) {
            return false;
        }
        List<ReminderSlot> used = new ArrayList<>(s.used());
        slot.ifPresent(used::add);
        items.put(messageId, new PaymentReminderState(s.messageId(), s.fiscalCode(), s.senderServiceId(), s.status(),
                s.featureLevel(), s.paymentNotice(), s.dueDate(), s.paidAt(), s.requireSecureChannels(), s.subject(), used,
                next.map(Timestamps::format).orElse(null), 0));
        return true;
    }

    @Override
    public synchronized boolean countAttempt(String messageId, String expected, int attempts) {
        calls.add("countAttempt");
        PaymentReminderState s = items.get(messageId);
        if (s == null || s.nextReminderAt() == null || !s.nextReminderAt().equals(expected)) {
            return false;
        }
        items.put(messageId, new PaymentReminderState(s.messageId(), s.fiscalCode(), s.senderServiceId(), s.status(),
                s.featureLevel(), s.paymentNotice(), s.dueDate(), s.paidAt(), s.requireSecureChannels(), s.subject(),
                s.used(), s.nextReminderAt(), attempts));
        return true;
    }
}
