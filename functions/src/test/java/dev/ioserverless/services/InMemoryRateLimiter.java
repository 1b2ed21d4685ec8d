package dev.ioserverless.services;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RateLimiter} in memory with the DynamoDB one's semantics: per-window counters keyed
 * {@code <service_id>#<window start>}, the previous window carried into the sliding window, a
 * conditional add that leaves the count alone on rejection.
 */
public final class InMemoryRateLimiter implements RateLimiter {
    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    @Override
    public synchronized RateLimitDecision acquire(String serviceId, int limit, int cost, Instant now) {
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(now);
        String key = window.partitionKey(serviceId);
        long previous = counts.getOrDefault(new RateLimitPolicy.Window(window.startEpochSecond()
                - RateLimitPolicy.WINDOW_SECONDS).partitionKey(serviceId), 0L);
        long carried = RateLimitPolicy.carried(previous, now);
        long before = counts.getOrDefault(key, 0L);
        if (!RateLimitPolicy.admits(limit, cost, carried, before)) {
            return RateLimitPolicy.rejected(limit, cost, previous,
                    counts.containsKey(key) ? OptionalLong.of(before) : OptionalLong.empty(), now);
        }
        counts.put(key, before + cost);
        return RateLimitPolicy.admitted(limit, cost, carried, before + cost, now);
    }

    /** The count of the window {@code now} falls in. */
    public long count(String serviceId, Instant now) {
        return counts.getOrDefault(RateLimitPolicy.windowOf(now).partitionKey(serviceId), 0L);
    }
}
