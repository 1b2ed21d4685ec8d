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
}
