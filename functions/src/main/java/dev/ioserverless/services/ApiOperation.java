package dev.ioserverless.services;

import java.util.Set;

/**
 * One Services API operation, run by {@link ServicesApi} after authentication, rate limiting,
 * the group check and (for idempotent operations) the Idempotency-Key check.
 */
public interface ApiOperation {

    /** A short name for logs, e.g. {@code SubmitMessage}. */
    String name();

    /** The caller needs at least one of these groups (403 otherwise). */
    Set<ServiceGroup> requiredGroups();

    /**
     * How many requests this one counts for in the service's rate limit: 1 unless the operation
     * says otherwise (a batch counts its items). Called before the body is validated, so it must
     * not fail on a bad body: {@link ApiRequest#jsonBodyIfValid} is there for that.
     */
    default int cost(ApiRequest request) {
        return 1;
    }

    /** Whether the operation honours an Idempotency-Key header (the message POSTs do). */
    default boolean idempotent() {
        return false;
    }

    /**
     * The response as the Idempotency-Key's record keeps it, for 24 hours: without personal data the
     * operation can rebuild from the replaying request (default: as it is).
     */
    default ApiResponse toStore(ApiResponse response) {
        return response;
    }

    /** A stored response, completed for the request that replays it (the same request, by its fingerprint). */
    default ApiResponse fromStore(ApiResponse stored, ApiRequest request) {
        return stored;
    }

    /**
     * Runs the operation. A {@link dev.ioserverless.common.ProblemException} becomes its problem
     * response; any other exception a 500.
     */
    ApiResponse execute(ApiRequest request);
}
