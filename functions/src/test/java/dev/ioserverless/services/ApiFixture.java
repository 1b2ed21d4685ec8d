package dev.ioserverless.services;

import dev.ioserverless.common.MutableClock;
import dev.ioserverless.common.Log;
import java.time.Instant;

/**
 * The Services API pipeline on in-memory stores, for handler tests: services (the TARI test
 * service is registered under {@link #KEY} and {@link #SECONDARY_KEY}), rate-limit counters,
 * idempotency records and a clock the test moves.
 */
public final class ApiFixture {
    public static final String KEY = "tari-primary-key";
    public static final String SECONDARY_KEY = "tari-secondary-key";
    public static final Instant START = Instant.parse("2024-03-01T10:15:30.123Z");

    public final InMemoryServiceStore services = new InMemoryServiceStore();
    public final InMemoryRateLimiter rateLimiter = new InMemoryRateLimiter();
    public final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    public final MutableClock clock = new MutableClock(START);

    public ApiFixture() {
        services.save(TestServices.tari(), KEY, SECONDARY_KEY);
    }

    public ServicesApi api(Log log) {
        return new ServicesApi(services, rateLimiter, idempotency, clock, log);
    }

    /** A pipeline without an idempotency store, as the read-only functions have. */
    public ServicesApi readOnlyApi(Log log) {
        return new ServicesApi(services, rateLimiter, null, clock, log);
    }
}
