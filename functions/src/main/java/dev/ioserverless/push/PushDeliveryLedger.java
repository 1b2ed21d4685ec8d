package dev.ioserverless.push;

import java.time.Duration;
import java.time.Instant;

/**
 * One entry per (message, installation): the guard that keeps a redelivered event from pushing the
 * same device twice.
 *
 * <p>Before pushing, a worker {@link #claim}s the pair: a PENDING marker with a short lease. After
 * SNS accepted the push it marks the pair SENT, which is final. A worker that fails before pushing
 * {@link #release}s its claim. A worker that crashes between the push and {@link #markSent} leaves
 * a PENDING marker behind; once its lease ran out a redelivery claims the pair again and pushes a
 * second time. That window (one SNS call and one write) is the only way a device gets a duplicate.
 */
public interface PushDeliveryLedger {

    /** Longer than the function's timeout, shorter than the queue's visibility timeout. */
    Duration LEASE = Duration.ofSeconds(60);
    /** How long entries are kept (DynamoDB TTL); far beyond the longest message time to live (7 days). */
    Duration RETENTION = Duration.ofDays(30);

    enum Claim {
        /** The caller holds the pair until {@code now + LEASE} and must push, then mark or release it. */
        CLAIMED,
        /** The device already got this message: do not push again. */
        ALREADY_SENT,
        /** Another worker holds an unexpired claim and is pushing right now. */
        IN_PROGRESS
    }

    /** Claims the pair unless it is SENT or held by another worker's unexpired claim; a FAILED pair can be claimed. */
    Claim claim(String messageId, String installationId, Instant now);

    void markSent(String messageId, String installationId, Instant at);

    void markFailed(String messageId, String installationId, Instant at);

    /** Gives a claim back (the push was not made), so a retry can claim it at once. */
    void release(String messageId, String installationId);
}
