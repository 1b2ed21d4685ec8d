package dev.ioserverless.services;

import java.time.Duration;
import java.time.Instant;

/**
 * The Idempotency-Key rules, as plain decisions over the stored record (or its absence):
 *
 * <ul>
 *   <li>No record, or one whose retention ({@value #RETENTION_HOURS} h) has passed, or one still
 *       IN_PROGRESS whose lease has run out (its request died): the key is free; the request
 *       claims it ({@link Verdict#CLAIM}).
 *   <li>A record for a different request (method, path or body): {@link Verdict#MISMATCH}, 422.
 *   <li>A COMPLETED record for the same request: {@link Verdict#REPLAY} its response.
 *   <li>An IN_PROGRESS record for the same request within its lease: {@link Verdict#IN_FLIGHT},
 *       409 with Retry-After.
 * </ul>
 *
 * An expired record counts as absent even if DynamoDB's TTL has not deleted it yet (TTL deletion
 * is lazy). {@link #isClaimable} is exactly the condition of the store's conditional claim.
 */
public final class IdempotencyPolicy {
    public static final long RETENTION_HOURS = 24;
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(RETENTION_HOURS);
    /** Longer than the longest Services API function timeout (29 s), so a live request keeps its claim. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    private final Duration lease;
    private final Duration retention;

    public IdempotencyPolicy() {
        this(DEFAULT_LEASE, DEFAULT_RETENTION);
    }

    public IdempotencyPolicy(Duration lease, Duration retention) {
        this.lease = lease;
        this.retention = retention;
    }

    public enum Verdict {
        CLAIM,
        REPLAY,
        MISMATCH,
        IN_FLIGHT
    }

    /**
     * @param existing the record behind the verdict; null for CLAIM
     * @param retryAfterSeconds for IN_FLIGHT, whole seconds until the lease runs out (at least 1)
     */
    public record Decision(Verdict verdict, IdempotencyRecord existing, long retryAfterSeconds) {
    }

    /**
     * The table key: scoped per service, with the client's key stored only as its SHA-256 (clients
     * sometimes put business identifiers in it).
     */
    public static String partitionKey(String serviceId, String idempotencyKey) {
        return serviceId + "#" + dev.ioserverless.common.Hashing.sha256Hex(idempotencyKey);
    }

    /** A new IN_PROGRESS claim with its lease and retention counted from {@code now}. */
    public IdempotencyRecord claim(String partitionKey, String requestHash, String claimId, Instant now) {
        return new IdempotencyRecord(partitionKey, requestHash, IdempotencyRecord.State.IN_PROGRESS, claimId,
                now.plus(lease), now.plus(retention).getEpochSecond(), null);
    }

    public static boolean isExpired(IdempotencyRecord record, Instant now) {
        return record.expiresAtEpochSecond() < now.getEpochSecond();
    }

    /** Whether a request may claim the key over {@code existing} (null: no record). */
    public static boolean isClaimable(IdempotencyRecord existing, Instant now) {
        return existing == null
                || isExpired(existing, now)
                || (existing.state() == IdempotencyRecord.State.IN_PROGRESS && existing.lockedUntil().isBefore(now));
    }

    public Decision decide(IdempotencyRecord existing, String requestHash, Instant now) {
        if (isClaimable(existing, now)) {
            return new Decision(Verdict.CLAIM, null, 0);
        }
        if (!existing.requestHash().equals(requestHash)) {
            return new Decision(Verdict.MISMATCH, existing, 0);
        }
        if (existing.state() == IdempotencyRecord.State.COMPLETED) {
            return new Decision(Verdict.REPLAY, existing, 0);
        }
        long waitMillis = Duration.between(now, existing.lockedUntil()).toMillis();
        return new Decision(Verdict.IN_FLIGHT, existing, Math.max(1, Math.floorDiv(waitMillis + 999, 1000)));
    }

    /** Only successful (2xx) responses are kept for replay; anything else frees the key. */
    public static boolean isStored(ApiResponse response) {
        return response.isSuccess();
    }
}
