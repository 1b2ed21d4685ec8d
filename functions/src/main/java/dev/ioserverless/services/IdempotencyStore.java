package dev.ioserverless.services;

import java.time.Instant;
import java.util.Optional;

/** Idempotency records, one per (service, key). Every write is conditional. */
public interface IdempotencyStore {

    /**
     * Writes {@code claim} if {@link IdempotencyPolicy#isClaimable} holds for the record now
     * stored under its key, atomically; false (nothing written) otherwise.
     */
    boolean tryClaim(IdempotencyRecord claim, Instant now);

    /** The record under {@code key} as last written (a strongly consistent read), expired or not. */
    Optional<IdempotencyRecord> find(String key);

    /**
     * Stores {@code response} and marks the record COMPLETED, if it is still {@code claim}'s
     * (same claim id, IN_PROGRESS); false otherwise.
     */
    boolean complete(IdempotencyRecord claim, ApiResponse response);

    /** Deletes the record if it is still {@code claim}'s (same claim id, IN_PROGRESS); false otherwise. */
    boolean release(IdempotencyRecord claim);

    /**
     * The ids reserved under {@code key} for the request {@code requestHash}: {@code fresh} when
     * none are (written, kept for {@code retention}), the ones written before when the same
     * request reserved them (a retry whose answer was lost), empty when another request did.
     * The reservation outlives a released claim: it is what makes a retry after an ambiguous
     * failure create the same records rather than new ones.
     */
    Optional<java.util.List<String>> reserveIds(String key, String requestHash, java.util.List<String> fresh,
                                                 Instant now, java.time.Duration retention);
}
