package dev.ioserverless.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
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

    @ParameterizedTest
    @ValueSource(strings = {"rate(0 minutes)", "rate(5 weeks)", "cron(0 8 * * ?)", "cron(61 8 * * ? *)",
        "cron(0 8 L * ? *)", "every day", "cron(0 25 * * ? *)"})
    void invalidExpressionsAreRefused(String expression) {
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression));
    }
}
