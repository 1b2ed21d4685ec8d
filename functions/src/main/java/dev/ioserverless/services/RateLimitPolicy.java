package dev.ioserverless.services;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * The Services API rate limit, as plain arithmetic: each service may make
 * {@link Service#rateLimit()} requests (IO's default: 150) per fixed window of
 * {@value #WINDOW_SECONDS} seconds. Windows start at epoch seconds divisible by
 * {@value #WINDOW_SECONDS}; a window's counter is keyed {@code <service_id>#<window start>}.
 *
 * <p>A request costs 1, a batch as many as its items. A request is admitted when the window's
 * count before it plus its cost stays within the limit, and is then added to the count; one that
 * would go over is rejected whole and not counted. A request costing more than the limit can
 * never be admitted.
 */
public final class RateLimitPolicy {
    public static final long WINDOW_SECONDS = 5;
    /** How long a window's counter is kept after the window ends (the table's TTL cleans it up). */
    public static final long RETENTION_SECONDS = 60;

    private RateLimitPolicy() {
    }

    /** A fixed window: [{@code startEpochSecond}, {@code startEpochSecond + WINDOW_SECONDS}). */
    public record Window(long startEpochSecond) {

        public long endEpochSecond() {
            return startEpochSecond + WINDOW_SECONDS;
        }

        /** The counter's key, {@code <service_id>#<window start epoch seconds>}. */
        public String partitionKey(String serviceId) {
            return serviceId + "#" + startEpochSecond;
        }

        /** When the counter may be deleted (epoch seconds, the table's TTL attribute). */
        public long expiresAtEpochSecond() {
            return endEpochSecond() + RETENTION_SECONDS;
        }

        /** Whole seconds from {@code now} until the window ends, at least 1 (a Retry-After value). */
        public long secondsUntilEnd(Instant now) {
            long endMillis = endEpochSecond() * 1000;
            long waitMillis = endMillis - now.toEpochMilli();
            return Math.max(1, Math.floorDiv(waitMillis + 999, 1000));
        }
    }

    public static Window windowOf(Instant now) {
        long second = now.getEpochSecond();
        return new Window(second - Math.floorMod(second, WINDOW_SECONDS));
    }

    /**
     * The highest count the window may already hold for a request of {@code cost} to be admitted:
     * {@code limit - cost}. Negative when the request can never be admitted.
     */
    public static long maxCountBefore(int limit, int cost) {
        return (long) limit - cost;
    }

    /** Whether a request of {@code cost} is admitted when the window already holds {@code countBefore}. */
    public static boolean admits(int limit, int cost, long countBefore) {
        return countBefore <= maxCountBefore(limit, cost);
    }

    /** The decision for an admitted request, given the window's count including it. */
    public static RateLimitDecision admitted(int limit, int cost, long countAfter, Window window, Instant now) {
        return new RateLimitDecision(true, limit, cost, Math.max(0, limit - countAfter), window.secondsUntilEnd(now));
    }

    /**
     * The decision for a rejected request, given the window's count if known (without it the
     * remaining allowance is reported as 0).
     */
    public static RateLimitDecision rejected(int limit, int cost, OptionalLong countBefore, Window window, Instant now) {
        long remaining = countBefore.isPresent() ? Math.max(0, limit - countBefore.getAsLong()) : 0;
        return new RateLimitDecision(false, limit, cost, remaining, window.secondsUntilEnd(now));
    }
}
