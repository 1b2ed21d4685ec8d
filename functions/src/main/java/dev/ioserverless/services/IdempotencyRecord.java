package dev.ioserverless.services;

import java.time.Instant;

/**
 * What the idempotency table holds for one key of one service.
 *
 * @param key the table key, {@code <service_id>#<Idempotency-Key>}
 * @param requestHash the request's {@link ApiRequest#fingerprint()}
 * @param claimId a random id of the request that claimed the key, so only it completes or
 *     releases the claim (not a request that took an expired lease over)
 * @param lockedUntil while IN_PROGRESS, the end of the claim's lease: past it, the request is
 *     presumed dead and another may claim the key
 * @param expiresAtEpochSecond when the record stops counting (and DynamoDB's TTL may delete it)
 * @param response the stored response; only when COMPLETED
 */
public record IdempotencyRecord(
        String key,
        String requestHash,
        State state,
        String claimId,
        Instant lockedUntil,
        long expiresAtEpochSecond,
        ApiResponse response) {

    public enum State {
        IN_PROGRESS,
        COMPLETED
    }

    public IdempotencyRecord {
        if ((state == State.COMPLETED) != (response != null)) {
            throw new IllegalArgumentException("a response is stored exactly when the record is COMPLETED");
        }
    }

    public IdempotencyRecord completed(ApiResponse stored) {
        return new IdempotencyRecord(key, requestHash, State.COMPLETED, claimId, lockedUntil, expiresAtEpochSecond, stored);
    }
}
