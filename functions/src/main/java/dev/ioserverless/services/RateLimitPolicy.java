package dev.ioserverless.services;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * The Services API rate limit, as plain arithmetic: each service may make
 * {@link Service#rateLimit()} requests (IO's default: 150) in any {@value #WINDOW_SECONDS}
 * seconds, a sliding window. Counts are kept per fixed window (windows start at epoch seconds
 * divisible by {@value #WINDOW_SECONDS}, a counter keyed {@code <service_id>#<window start>}),
 * and the requests of the sliding window ending now are estimated as the current window's count
 * plus the previous window's, weighted by how much of it the sliding window still covers
 * ({@link #carried}). A fixed window alone would admit a full quota just before its end and
 * another just after; this does not.
 *
 * <p>A request costs 1, a batch as many as its items. A request is admitted when the estimate
 * before it plus its cost stays within the limit, and is then added to the current count; one that
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
     * The previous window's requests the sliding window ending at {@code now} still covers: its
     * count weighted by the part of it the sliding window overlaps, rounded up.
     */
    public static long carried(long previousCount, Instant now) {
        if (previousCount <= 0) {
            return 0;
        }
        long windowMillis = WINDOW_SECONDS * 1000;
        long elapsed = now.toEpochMilli() - windowOf(now).startEpochSecond() * 1000;
        return Math.floorDiv(previousCount * (windowMillis - elapsed) + windowMillis - 1, windowMillis);
    }

    /**
     * The highest count the current window may already hold for a request of {@code cost} to be
     * admitted: {@code limit - carried - cost}. Negative when the request cannot be admitted now.
     */
    public static long maxCountBefore(int limit, int cost, long carried) {
        return (long) limit - carried - cost;
    }

    /** Whether a request of {@code cost} is admitted when the current window holds {@code countBefore}. */
    public static boolean admits(int limit, int cost, long carried, long countBefore) {
        return countBefore <= maxCountBefore(limit, cost, carried);
    }

    /** The decision for an admitted request, given the current window's count including it. */
    public static RateLimitDecision admitted(int limit, int cost, long carried, long countAfter, Instant now) {
        return new RateLimitDecision(true, limit, cost, Math.max(0, limit - carried - countAfter),
                windowOf(now).secondsUntilEnd(now));
    }

    /**
     * The decision for a rejected request, given the counts if known (without the current count the
     * remaining allowance is reported as 0, and the wait as if the window were full). Retry-After is
     * the whole seconds until the request would be admitted if nothing else came meanwhile.
     */
    public static RateLimitDecision rejected(int limit, int cost, long previousCount, OptionalLong countBefore,
                                             Instant now) {
        long carried = carried(previousCount, now);
        long current = countBefore.orElse(limit);
        long remaining = countBefore.isPresent() ? Math.max(0, limit - carried - current) : 0;
        return new RateLimitDecision(false, limit, cost, remaining, secondsUntilAdmitted(limit, cost, previousCount,
                current, now));
    }

    static long secondsUntilAdmitted(int limit, int cost, long previousCount, long currentCount, Instant now) {
        Window window = windowOf(now);
        for (long seconds = 1; seconds <= 2 * WINDOW_SECONDS + 1; seconds++) {
            Instant then = now.plusSeconds(seconds);
            long start = windowOf(then).startEpochSecond();
            long previous;
            long current;
            if (start == window.startEpochSecond()) {
                previous = previousCount;
                current = currentCount;
            } else if (start == window.endEpochSecond()) {
                previous = currentCount;
                current = 0;
            } else {
                previous = 0;
                current = 0;
            }
            if (admits(limit, cost, carried(previous, then), current)) {
                return seconds;
            }
        }
        return 2 * WINDOW_SECONDS + 1;
    }
}
