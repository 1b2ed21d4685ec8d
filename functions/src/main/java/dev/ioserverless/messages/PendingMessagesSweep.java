package dev.ioserverless.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One run of the sweeper of pending messages: every item of the outbox
 * ({@link DynamoPendingMessages}) that is due is looked at once.
 *
 * <ul>
 *   <li>Its message ACCEPTED, or PROCESSED and never announced: its notice is queued again (the
 *       queue may never have taken it, or processing stopped before it finished), and the item is
 *       due again after a backoff of 1, 2, 4, 8 then 15 minutes, until processing settles it.
 *   <li>Its message settled (PROCESSED and announced, REJECTED, FAILED): the item is deleted.
 *       FAILED messages are the dead-letter queue's: only an operator's redrive queues them again.
 *   <li>No message: the submission stopped between holding the item and writing the message (its
 *       caller got no 201). After {@link #ABANDONED_AFTER} the item is deleted; a retry of that
 *       request with its Idempotency-Key holds it again.
 * </ul>
 */
public final class PendingMessagesSweep {
    /** How long an item may wait for its message to be written before the submission counts as abandoned. */
    public static final Duration ABANDONED_AFTER = Duration.ofMinutes(15);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
    /** At most this many items a shard per run: sixteen shards make 1,600 a run, a minute apart. */
    static final int PER_SHARD = 100;

    private final DynamoPendingMessages pending;
    private final MessageStore messages;
    private final MessageCreatedQueue queue;

    public PendingMessagesSweep(DynamoPendingMessages pending, MessageStore messages, MessageCreatedQueue queue) {
        this.pending = pending;
        this.messages = messages;
        this.queue = queue;
    }

    /** What one run did. */
    public record Result(int due, int requeued, int settled, int abandoned, int waiting, int failed, boolean stoppedEarly) {
    }

    /** Sweeps every shard at {@code now}; stops between shards once {@code timeLeft} says so. */
    public Result run(Instant now, BooleanSupplier timeLeft) {
        int due = 0;
        int requeued = 0;
        int settled = 0;
        int abandoned = 0;
        int waiting = 0;
        int failed = 0;
        for (int shard = 0; shard < DynamoPendingMessages.SHARDS; shard++) {
            if (!timeLeft.getAsBoolean()) {
                return new Result(due, requeued, settled, abandoned, waiting, failed, true);
            }
            List<DynamoPendingMessages.Pending> items = pending.due(shard, now, PER_SHARD);
            due += items.size();
            List<DynamoPendingMessages.Pending> toQueue = new ArrayList<>();
            for (DynamoPendingMessages.Pending item : items) {
                Optional<MessageHeader> header;
                try {
                    header = messages.findHeader(item.id());
                } catch (RuntimeException e) {
                    failed++;   // due again on the next run
                    continue;
                }
                try {
                    if (header.isEmpty()) {
                        if (item.heldAt().plus(ABANDONED_AFTER).isBefore(now)) {
                            pending.settle(item.id());
                            abandoned++;
                        } else {
                            pending.postpone(item, now.plus(Duration.ofMinutes(1)));
                            waiting++;
                        }
                    } else if (awaitsProcessing(header.get())) {
                        toQueue.add(item);
                    } else {
                        pending.settle(item.id());
                        settled++;
                    }
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            if (toQueue.isEmpty()) {
                continue;
            }
            Map<String, String> notQueued = queue.sendAll(toQueue.stream()
                    .map(item -> new MessageCreated(item.id())).toList());
            for (DynamoPendingMessages.Pending item : toQueue) {
                if (notQueued.containsKey(item.id())) {
                    failed++;   // still due: the next run tries again
                    continue;
                }
                requeued++;
                try {
                    pending.postpone(item, now.plus(backoff(item.sweeps())));
                } catch (RuntimeException e) {
                    failed++;   // due again at once: queued once more on the next run, which processing absorbs
                }
            }
        }
        return new Result(due, requeued, settled, abandoned, waiting, failed, false);
    }

    /** ACCEPTED, or PROCESSED without its event published: what processing still has to do. */
    static boolean awaitsProcessing(MessageHeader message) {
        return message.status() == MessageStatus.ACCEPTED
                || (message.status() == MessageStatus.PROCESSED && !message.announced());
    }

    /** 1, 2, 4, 8 minutes, then 15. */
    static Duration backoff(int sweeps) {
        Duration next = Duration.ofMinutes(1L << Math.min(sweeps, 4));
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
}
