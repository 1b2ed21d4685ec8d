package dev.ioserverless.common;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the scheduled functions share: the run's time, its time budget, and its summary as log fields. */
public final class ScheduledRun {
    private ScheduledRun() {
    }

    /**
     * The instant the run is for: the event's {@code time} (an ISO-8601 instant, as a schedule's
     * event or an operator's test event gives it), or now on {@code clock}.
     *
     * @throws IllegalArgumentException when {@code time} is not an instant
     */
    public static Instant timeOf(Map<String, Object> event, Clock clock) {
        Object time = event == null ? null : event.get("time");
        if (time == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(String.valueOf(time));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time: must be an ISO-8601 instant such as 2026-01-31T08:00:00Z");
        }
    }

    /** True while more than {@code marginMillis} of the invocation is left (always, without a context). */
    public static BooleanSupplier timeLeft(Context context, long marginMillis) {
        return context == null ? () -> true : () -> context.getRemainingTimeInMillis() > marginMillis;
    }

    /** The summary's entries as log fields, then {@code duration_ms} since {@code startNanos}. */
    public static Object[] fields(Map<String, Object> summary, long startNanos) {
        List<Object> fields = new ArrayList<>();
        summary.forEach((name, value) -> {
            fields.add(name);
            fields.add(value);
        });
        fields.add("duration_ms");
        fields.add((System.nanoTime() - startNanos) / 1_000_000);
        return fields.toArray();
    }
}
