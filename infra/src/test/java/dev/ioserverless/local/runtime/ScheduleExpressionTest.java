package dev.ioserverless.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = ';', value = {
        "rate(5 minutes);2026-03-01T08:00:00Z;2026-03-01T08:05:00Z",
        "rate(1 hour);2026-03-01T08:00:30Z;2026-03-01T09:00:30Z",
        "rate(2 days);2026-03-01T00:00:00Z;2026-03-03T00:00:00Z",
        "cron(0 8 * * ? *);2026-03-01T07:59:00Z;2026-03-01T08:00:00Z",
        "cron(0 8 * * ? *);2026-03-01T08:00:00Z;2026-03-02T08:00:00Z",
        "cron(0/15 * * * ? *);2026-03-01T08:07:10Z;2026-03-01T08:15:00Z",
        "cron(30 9 ? * MON-FRI *);2026-02-27T10:00:00Z;2026-03-02T09:30:00Z",
        "cron(0 0 1 * ? *);2026-03-15T12:00:00Z;2026-04-01T00:00:00Z",
        "cron(0 12 ? * 1 *);2026-03-01T13:00:00Z;2026-03-08T12:00:00Z",
        "cron(0 6 29 FEB ? *);2026-03-01T00:00:00Z;2028-02-29T06:00:00Z",
        "cron(5,35 10-11 * * ? 2027);2026-12-31T23:00:00Z;2027-01-01T10:05:00Z",
    })
    void nextFiringTime(String expression, String after, String expected) {
        assertEquals(Instant.parse(expected), ScheduleExpression.parse(expression).next(Instant.parse(after)));
    }

    /** ScheduleV2's ScheduleExpressionTimezone: the cron's fields are wall-clock times of the zone. */
    @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
    @CsvSource(delimiter = ';', value = {
        // Rome is UTC+1 in winter, UTC+2 in summer.
        "cron(0 8-20 * * ? *);Europe/Rome;2026-12-03T06:30:00Z;2026-12-03T07:00:00Z",
        "cron(0 8-20 * * ? *);Europe/Rome;2026-07-03T05:30:00Z;2026-07-03T06:00:00Z",
        "cron(0 8-20 * * ? *);Europe/Rome;2026-12-03T19:00:00Z;2026-12-04T07:00:00Z",
        "cron(0 8-20 * * ? *);Europe/Rome;2026-12-03T07:00:00Z;2026-12-03T08:00:00Z",
        // The night of 29 March 2026 skips 02:00-03:00 in Rome: a 02:30 schedule does not fire that day.
        "cron(30 2 * * ? *);Europe/Rome;2026-03-28T12:00:00Z;2026-03-30T00:30:00Z",
        // The night of 25 October 2026 has 02:00-03:00 twice: a 02:30 schedule fires once, at the first.
        "cron(30 2 * * ? *);Europe/Rome;2026-10-24T12:00:00Z;2026-10-25T00:30:00Z",
        "cron(30 2 * * ? *);Europe/Rome;2026-10-25T00:30:00Z;2026-10-26T01:30:00Z",
        "cron(30 2 * * ? *);Europe/Rome;2026-10-25T01:10:00Z;2026-10-26T01:30:00Z",
        // A day boundary in the zone, not in UTC: Monday 00:15 in Rome is Sunday 23:15 UTC.
        "cron(15 0 ? * MON *);Europe/Rome;2026-12-05T00:00:00Z;2026-12-06T23:15:00Z",
        "cron(0 8 * * ? *);UTC;2026-03-01T07:59:00Z;2026-03-01T08:00:00Z",
        "rate(1 hour);Europe/Rome;2026-10-25T00:30:00Z;2026-10-25T01:30:00Z",
    })
    void cronFieldsAreWallClockTimesOfTheZone(String expression, String zone, String after, String expected) {
        assertEquals(Instant.parse(expected),
                ScheduleExpression.parse(expression).next(Instant.parse(after), ZoneId.of(zone)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(0 minutes)", "rate(5 weeks)", "cron(0 8 * * ?)", "cron(61 8 * * ? *)",
        "cron(0 8 L * ? *)", "every day", "cron(0 25 * * ? *)"})
    void invalidExpressionsAreRefused(String expression) {
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression));
    }
}
