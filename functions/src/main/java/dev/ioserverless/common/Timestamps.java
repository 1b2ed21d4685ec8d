package dev.ioserverless.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one timestamp format the API and the tables use: ISO-8601 in UTC with exactly three
 * fraction digits, e.g. {@code 2024-03-01T10:15:30.000Z} (what JavaScript's
 * {@code toISOString()} and IO produce).
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Parses any ISO-8601 instant ({@link Instant#parse}), e.g. one written by {@link #format}. */
    public static Instant parse(String text) {
        return Instant.parse(text);
    }
}
