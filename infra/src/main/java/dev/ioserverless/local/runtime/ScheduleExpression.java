package dev.ioserverless.local.runtime;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge schedule expressions: {@code rate(5 minutes)} and
 * {@code cron(minutes hours day-of-month month day-of-week year)}, with {@code *}, {@code ?},
 * lists, ranges, steps and month/day names. ({@code L}, {@code W} and {@code #} are not supported
 * locally.)
 *
 * <p>A cron expression is read in a time zone: UTC for EventBridge rules ({@code Schedule}), the
 * schedule's {@code ScheduleExpressionTimezone} for EventBridge Scheduler ({@code ScheduleV2}).
 * Its fields are wall-clock times there, so {@code cron(0 8 * * ? *)} in Europe/Rome fires at 08:00
 * Rome time in winter (07:00 UTC) and in summer (06:00 UTC). Around a daylight-saving change, a
 * wall-clock time that does not exist that day (the hour skipped in spring) does not fire, and one
 * that occurs twice (the hour repeated in autumn) fires once, at its first occurrence. A rate is a
 * fixed interval whatever the zone.
 */
public final class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3), Map.entry("APR", 4),
            Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8),
            Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of(
            "SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    private final Duration rate;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private ScheduleExpression(Duration rate, String[] cron) {
        this.rate = rate;
        if (cron == null) {
            minutes = hours = daysOfMonth = months = daysOfWeek = years = null;
            anyDayOfMonth = anyDayOfWeek = true;
            return;
        }
        minutes = field(cron[0], 0, 59, Map.of());
        hours = field(cron[1], 0, 23, Map.of());
        daysOfMonth = field(cron[2], 1, 31, Map.of());
        months = field(cron[3], 1, 12, MONTHS);
        daysOfWeek = field(cron[4], 1, 7, DAYS);
        years = field(cron[5], 1970, 2199, Map.of());
        anyDayOfMonth = cron[2].equals("*") || cron[2].equals("?");
        anyDayOfWeek = cron[4].equals("*") || cron[4].equals("?");
    }

    public static ScheduleExpression parse(String expression) {
        String text = expression.trim();
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long amount = Long.parseLong(rate.group(1));
            if (amount < 1) {
                throw new IllegalArgumentException("rate must be at least 1: " + expression);
            }
            ChronoUnit unit = rate.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : rate.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new ScheduleExpression(Duration.of(amount, unit), null);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            String[] fields = cron.group(1).trim().toUpperCase(Locale.ROOT).split("\\s+");
            if (fields.length != 6) {
                throw new IllegalArgumentException("cron needs 6 fields: " + expression);
            }
            return new ScheduleExpression(null, fields);
        }
        throw new IllegalArgumentException("not a schedule expression: " + expression);
    }

    /** The first time strictly after {@code after} that the schedule fires, a cron read in UTC. */
    public Instant next(Instant after) {
        return next(after, ZoneOffset.UTC);
    }

    /** The first time strictly after {@code after} that the schedule fires, a cron read in {@code zone}. */
    public Instant next(Instant after, ZoneId zone) {
        if (rate != null) {
            return after.plus(rate);
        }
        var rules = zone.getRules();
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!years.get(t.getYear()) || !months.get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).withHour(0).withMinute(0);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.plusDays(1).withHour(0).withMinute(0);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.plusHours(1).withMinute(0);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            var offsets = rules.getValidOffsets(t);
            if (!offsets.isEmpty()) {
                // In a repeated hour the first occurrence (the earlier offset) is the one that fires.
                Instant firing = t.toInstant(offsets.get(0));
                if (firing.isAfter(after)) {
                    return firing;
                }
            }
            t = t.plusMinutes(1);   // a wall-clock time skipped that day, or one already past
        }
        throw new IllegalStateException("the schedule never fires in the next five years");
    }

    private boolean dayMatches(LocalDateTime t) {
        int awsDayOfWeek = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(awsDayOfWeek);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom && dow;
    }

    private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
        BitSet set = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", 2);
                from = value(bounds[0], names);
                to = value(bounds[1], names);
            } else {
                from = value(range, names);
                to = slash >= 0 ? max : from;
            }
            if (from < min || to > max || from > to || step < 1) {
                throw new IllegalArgumentException("cron field out of range: " + part);
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(String token, Map<String, Integer> names) {
        Integer named = names.get(token);
        if (named != null) {
            return named;
        }
        if (!token.matches("\\d+")) {
            throw new IllegalArgumentException("unsupported cron token: " + token);
        }
        return Integer.parseInt(token);
    }
}
