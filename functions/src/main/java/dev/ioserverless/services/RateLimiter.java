package dev.ioserverless.services;

import java.time.Instant;

/** Counts a service's requests in {@link RateLimitPolicy}'s windows, across every Lambda instance. */
public interface RateLimiter {

    /**
     * Admits the request and counts it (atomically), or rejects it without counting it.
     *
     * @param limit the service's requests per window
     * @param cost what the request counts for, at least 1
     */
    RateLimitDecision acquire(String serviceId, int limit, int cost, Instant now);
}
