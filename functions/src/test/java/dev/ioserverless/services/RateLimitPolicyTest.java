package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The window arithmetic and the admission rule of the rate limit. */
class RateLimitPolicyTest {

    @ParameterizedTest(name = "{0} is in the window starting at {1}")
    @CsvSource({
        "2024-03-01T10:15:30.000Z, 1709288130",
        "2024-03-01T10:15:30.123Z, 1709288130",
        "2024-03-01T10:15:34.999Z, 1709288130",
        "2024-03-01T10:15:35.000Z, 1709288135",
        "1970-01-01T00:00:04.999Z, 0",
        "1969-12-31T23:59:59.000Z, -5",
    })
    void windowsAreFiveSecondsAlignedToTheEpoch(String now, long start) {
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(Instant.parse(now));
        assertEquals(start, window.startEpochSecond());
        assertEquals(start + 5, window.endEpochSecond());
    }

    @Test
    void theCounterKeyNamesTheServiceAndTheWindowStart() {
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(Instant.parse("2024-03-01T10:15:33.700Z"));
        assertEquals("svc-1#1709288130", window.partitionKey("svc-1"));
        assertEquals(1709288135 + 60, window.expiresAtEpochSecond(), "kept a minute past the window, then TTL");
    }

    @ParameterizedTest(name = "at {0} retry after {1} s")
    @CsvSource({
        "2024-03-01T10:15:30.000Z, 5",
        "2024-03-01T10:15:30.001Z, 5",
        "2024-03-01T10:15:31.000Z, 4",
        "2024-03-01T10:15:33.500Z, 2",
        "2024-03-01T10:15:34.001Z, 1",
        "2024-03-01T10:15:34.999Z, 1",
    })
    void retryAfterIsTheWholeSecondsLeftInTheWindowAtLeastOne(String now, long seconds) {
        Instant instant = Instant.parse(now);
        assertEquals(seconds, RateLimitPolicy.windowOf(instant).secondsUntilEnd(instant));
    }

    @Property
    void retryAfterNeverReachesPastTheWindowEnd(@ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long millis) {
        Instant now = Instant.ofEpochMilli(millis);
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(now);
        long retryAfter = window.secondsUntilEnd(now);
        assertTrue(retryAfter >= 1 && retryAfter <= 5);
        assertTrue(now.plusSeconds(retryAfter).getEpochSecond() >= window.endEpochSecond(),
                "after waiting Retry-After seconds the client is in the next window");
        assertTrue(now.getEpochSecond() >= window.startEpochSecond() && now.getEpochSecond() < window.endEpochSecond());
    }

    @Test
    void aRequestIsAdmittedWhileTheCountPlusItsCostStaysWithinTheLimit() {
        assertTrue(RateLimitPolicy.admits(150, 1, 0, 0));
        assertTrue(RateLimitPolicy.admits(150, 1, 0, 149));
        assertFalse(RateLimitPolicy.admits(150, 1, 0, 150));
        assertTrue(RateLimitPolicy.admits(150, 100, 0, 50), "a batch of 100 fits exactly");
        assertFalse(RateLimitPolicy.admits(150, 100, 0, 51), "a batch that would exceed is rejected whole");
        assertFalse(RateLimitPolicy.admits(50, 60, 0, 0), "a batch larger than the limit never fits");
        assertEquals(-10, RateLimitPolicy.maxCountBefore(50, 60, 0));
        assertFalse(RateLimitPolicy.admits(150, 1, 100, 50), "what the previous window carries counts");
        assertTrue(RateLimitPolicy.admits(150, 1, 100, 49));
    }

    @Property
    void admittingExactlyFillsTheWindow(@ForAll @IntRange(min = 1, max = 500) int limit,
                                        @ForAll @IntRange(min = 1, max = 100) int cost) {
        long count = 0;
        int admitted = 0;
        while (RateLimitPolicy.admits(limit, cost, 0, count)) {
            count += cost;
            admitted++;
        }
        assertTrue(count <= limit, "never over the limit");
        assertTrue(count + cost > limit, "stops only when the next request would exceed it");
        assertEquals(limit / cost, admitted);
    }

    @Test
    void decisionsReportTheRemainingAllowanceAndTheirHeaders() {
        Instant now = Instant.parse("2024-03-01T10:15:33.500Z");
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(now);

        RateLimitDecision admitted = RateLimitPolicy.admitted(150, 1, 0, 42, now);
        assertTrue(admitted.allowed());
        assertEquals(108, admitted.remaining());
        assertEquals(Map.of("X-RateLimit-Limit", "150", "X-RateLimit-Remaining", "108"), admitted.headers());

        RateLimitDecision rejected = RateLimitPolicy.rejected(150, 5, 0, OptionalLong.of(148), now);
        assertFalse(rejected.allowed());
        assertEquals(2, rejected.remaining(), "two single requests would still fit");
        assertEquals(Map.of("X-RateLimit-Limit", "150", "X-RateLimit-Remaining", "2", "Retry-After", "2"),
                rejected.headers());

        assertEquals(0, RateLimitPolicy.rejected(150, 1, 0, OptionalLong.empty(), now).remaining());
        assertEquals(0, RateLimitPolicy.rejected(150, 1, 0, OptionalLong.of(170), now).remaining());
    }

    @ParameterizedTest(name = "{1} ms into the window, {0} previous requests carry {2}")
    @CsvSource({
        "150, 0, 150",
        "150, 1, 150",
        "150, 2500, 75",
        "150, 4999, 1",
        "0, 2500, 0",
        "3, 1000, 3",
        "3, 2000, 2",
    })
    void thePreviousWindowIsCarriedByTheShareTheSlidingWindowStillCovers(long previous, long millis, long carried) {
        Instant now = Instant.ofEpochSecond(1709288130).plusMillis(millis);
        assertEquals(carried, RateLimitPolicy.carried(previous, now));
    }

    @Property
    void aFullQuotaJustBeforeABoundaryLeavesAlmostNothingJustAfter(@ForAll @IntRange(min = 1, max = 500) int limit,
                                                                   @ForAll @IntRange(min = 1, max = 999) int gapMillis) {
        // A fixed window would admit `limit` before the boundary and `limit` again right after it.
        Instant boundary = Instant.ofEpochSecond(1709288135);
        long before = 0;
        while (RateLimitPolicy.admits(limit, 1, 0, before)) {
            before++;
        }
        Instant after = boundary.plusMillis(gapMillis);
        long carried = RateLimitPolicy.carried(before, after);
        long admittedAfter = 0;
        while (RateLimitPolicy.admits(limit, 1, carried, admittedAfter)) {
            admittedAfter++;
        }
        assertEquals(limit, before);
        assertTrue(admittedAfter <= (long) Math.ceil(limit * gapMillis / 5000.0),
                admittedAfter + " admitted " + gapMillis + " ms after the boundary");
    }

    @Test
    void retryAfterIsWhenTheRequestWouldBeAdmitted() {
        Instant start = Instant.ofEpochSecond(1709288130);
        // Three of three used at the window's start: the next window starts with them all carried,
        // and two seconds in the carried share is ceil(3 * 0.6) = 2, leaving room for one.
        assertEquals(7, RateLimitPolicy.rejected(3, 1, 0, OptionalLong.of(3), start).retryAfterSeconds());
        assertEquals(1, RateLimitPolicy.rejected(150, 1, 150, OptionalLong.of(0), start).retryAfterSeconds(),
                "a second later the previous window's share is 120");
    }
}
