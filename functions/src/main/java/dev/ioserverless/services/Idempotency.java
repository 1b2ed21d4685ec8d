package dev.ioserverless.services;

import dev.ioserverless.common.Problem;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Applies {@link IdempotencyPolicy} through an {@link IdempotencyStore}: a request with an
 * Idempotency-Key first {@link #start}s (claims the key, or learns it must replay or refuse),
 * and after the operation {@link #finish}es (stores a 2xx response, or frees the key).
 */
public final class Idempotency {
    /** Set on a replayed response. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int CLAIM_ATTEMPTS = 3;

    private final IdempotencyStore store;
    private final IdempotencyPolicy policy;

    public Idempotency(IdempotencyStore store, IdempotencyPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** How a request with an Idempotency-Key goes on. */
    public sealed interface Start permits Proceed, Replay, Refuse {
    }

    /** The key is this request's: run the operation, then {@link #finish}. */
    public record Proceed(IdempotencyRecord claim) implements Start {
    }

    /** The same request completed before: answer its response again. */
    public record Replay(ApiResponse response) implements Start {
    }

    /** The key is busy (409) or was used for another request (422). */
    public record Refuse(Problem problem, Map<String, String> headers, IdempotencyPolicy.Verdict verdict)
            implements Start {

        public ApiResponse response() {
            return ApiResponse.problem(problem, headers);
        }
    }

    /** What {@link #finish} did with the claim. */
    public enum Finish {
        /** The 2xx response is stored for replay. */
        STORED,
        /** The key is free again (the response was not a 2xx). */
        RELEASED,
        /** The claim was no longer this request's (its lease ran out and another took it over). */
        LOST
    }

    public Start start(String serviceId, String key, String requestHash, Instant now) {
        String partitionKey = IdempotencyPolicy.partitionKey(serviceId, key);
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            IdempotencyRecord claim = policy.claim(partitionKey, requestHash, UUID.randomUUID().toString(), now);
            if (store.tryClaim(claim, now)) {
                return new Proceed(claim);
            }
            IdempotencyRecord existing = store.find(partitionKey).orElse(null);
            if (existing != null && existing.claimId().equals(claim.claimId())
                    && existing.state() == IdempotencyRecord.State.IN_PROGRESS) {
                // The claim was written, and its answer lost: the SDK's retry of it found it taken, by us.
                return new Proceed(claim);
            }
            IdempotencyPolicy.Decision decision = policy.decide(existing, requestHash, now);
            switch (decision.verdict()) {
                case REPLAY:
                    return new Replay(decision.existing().response().withHeaders(Map.of(REPLAYED_HEADER, "true")));
                case MISMATCH:
                    return new Refuse(keyReused(), Map.of(), decision.verdict());
                case IN_FLIGHT:
                    return inFlight(decision.retryAfterSeconds());
                case CLAIM:
                default:
                    // The record went away (or its lease ran out) between the claim and the read: claim again.
                    break;
            }
        }
        return inFlight(1);
    }

    private static Problem keyReused() {
        return Problem.of(422, "Idempotency key reused",
                IdempotencyKey.HEADER + ": already used by this service for a different request "
                        + "(method, path or body) within " + IdempotencyPolicy.RETENTION_HOURS
                        + " h; use a new key for a new request");
    }

    private static Refuse inFlight(long retryAfterSeconds) {
        return new Refuse(Problem.of(409, "Request in progress",
                        IdempotencyKey.HEADER + ": a request with this key is still in progress; retry after "
                                + retryAfterSeconds + " s"),
                Map.of(RateLimitDecision.RETRY_AFTER_HEADER, Long.toString(retryAfterSeconds)),
                IdempotencyPolicy.Verdict.IN_FLIGHT);
    }

    /**
     * The ids for the records of the request {@code requestHash} under the service's key:
     * {@code fresh} the first time, the same ones on every retry of that request within the
     * retention ({@link IdempotencyStore#reserveIds}).
     *
     * @throws ProblemException 422 when another request reserved them
     */
    public java.util.List<String> reserveIds(String serviceId, String key, String requestHash,
                                             java.util.List<String> fresh, Instant now) {
        return store.reserveIds(IdempotencyPolicy.partitionKey(serviceId, key), requestHash, fresh, now,
                        java.time.Duration.ofHours(IdempotencyPolicy.RETENTION_HOURS))
                .orElseThrow(() -> new dev.ioserverless.common.ProblemException(keyReused()));
    }

    /** Stores a 2xx {@code response} under the claim for replay; frees the key otherwise. */
    public Finish finish(IdempotencyRecord claim, ApiResponse response) {
        if (IdempotencyPolicy.isStored(response)) {
            return store.complete(claim, response) ? Finish.STORED : Finish.LOST;
        }
        return store.release(claim) ? Finish.RELEASED : Finish.LOST;
    }
}
