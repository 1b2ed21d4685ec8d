package dev.ioserverless.push;

import java.time.Duration;
import java.time.Instant;

/**
 * One entry per (message, kind, installation): the guard that keeps a redelivered event, or a
 * scheduled run repeated after a crash, from pushing the same device the same notification twice.
 *
 * <p>The kind tells a message's notifications apart: {@link #MESSAGE} for the push that tells the
 * citizen the message arrived, and the payment reminders' own kinds ({@code REMINDER_PAYMENT#1}
 * to {@code #4}, {@code REMINDER_PAYMENT_LAST}), so that a reminder is never taken for the
 * message's push nor one reminder for another.
 *
 * <p>Before pushing, a worker {@link #claim}s the entry: a PENDING marker with a short lease. After
 * SNS accepted the push it marks the entry SENT, which is final. A worker that fails before pushing
 * {@link #release}s its claim. A worker that crashes between the push and {@link #markSent} leaves
 * a PENDING marker behind; once its lease ran out a retry claims the entry again and pushes a
 * second time. That window (one SNS call and one write) is the only way a device gets a duplicate.
 */
public interface PushDeliveryLedger {

    /** The kind of the push that announces a processed message. */
    String MESSAGE = "MESSAGE";
    /** Longer than the function's timeout, shorter than the queue's visibility timeout. */
    Duration LEASE = Duration.ofSeconds(60);
    /**
     * How long entries are kept (DynamoDB TTL): beyond the longest message time to live (7 days)
     * and the longest a message has payment reminders (13 days before its due date).
     */
    Duration RETENTION = Duration.ofDays(30);

    enum Claim {
        /** The caller holds the entry until {@code now + LEASE} and must push, then mark or release it. */
        CLAIMED,
        /** The device already got this notification: do not push again. */
        ALREADY_SENT,
        /** Another worker holds an unexpired claim and is pushing right now. */
        IN_PROGRESS
    }

    /** Claims the entry unless it is SENT or held by another worker's unexpired claim; a FAILED entry can be claimed. */
    Claim claim(String messageId, String kind, String installationId, Instant now);

    void markSent(String messageId, String kind, String installationId, Instant at);

    void markFailed(String messageId, String kind, String installationId, Instant at);

    /** Gives a claim back (the push was not made), so a retry can claim it at once. */
    void release(String messageId, String kind, String installationId);
}
