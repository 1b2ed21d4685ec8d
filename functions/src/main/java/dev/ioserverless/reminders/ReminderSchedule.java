package dev.ioserverless.reminders;

import dev.ioserverless.messages.FeatureLevelType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When IO's payment reminders are due, for an ADVANCED message with a payment notice and a due
 * date that is not paid. Days and hours are Europe/Rome's; "D" is the due date's day there.
 *
 * <ul>
 *   <li>{@link ReminderKind#REMINDER_PAYMENT} from D-13 to D-2 (the due date is within 13 days),
 *       at most {@value #MAX_PAYMENT_REMINDERS} in all, each at least {@link #SPACING} (72 hours)
 *       after the one before;
 *   <li>{@link ReminderKind#REMINDER_PAYMENT_LAST} ("due tomorrow") on D-1, once, whatever the
 *       REMINDER_PAYMENTs before it;
 *   <li>none on D or later;
 *   <li>only from 08:00 to 21:00 (21:00 excluded).
 * </ul>
 *
 * A reminder that was skipped ({@link ReminderSlot#sent()} false) counts as used. Whether the
 * citizen lets a reminder through is {@link ReminderConsent}'s; whether a paid or undelivered
 * message has any is {@link ReminderDecision}'s. Plain Java: no clock, no AWS.
 */
public final class ReminderSchedule {
    public static final ZoneId ZONE = ZoneId.of("Europe/Rome");
    /** The first minute a reminder may be sent. */
    public static final LocalTime OPENS = LocalTime.of(8, 0);
    /** The first minute a reminder may no longer be sent. */
    public static final LocalTime CLOSES = LocalTime.of(21, 0);
    /** REMINDER_PAYMENTs start this many days before the due date's day. */
    public static final int FIRST_DAYS_BEFORE = 13;
    public static final int MAX_PAYMENT_REMINDERS = 4;
    /** The least time between two REMINDER_PAYMENTs. */
    public static final Duration SPACING = Duration.ofDays(3);
    /** How many shards the reminders index is spread over: {@code reminder_shard} is "0" to "15". */
    public static final int SHARDS = 16;

    private ReminderSchedule() {
    }

    /**
     * When a new message's first reminder is due: for an ADVANCED message with a payment notice
     * and a due date, the first time at or after its creation that {@link #due} names a reminder;
     * empty for any other message, or when no reminder can be due any more.
     */
    public static Optional<Instant> firstDue(FeatureLevelType featureLevel, boolean paymentNotice, Instant dueDate,
                                             Instant createdAt) {
        if (featureLevel != FeatureLevelType.ADVANCED || !paymentNotice || dueDate == null) {
            return Optional.empty();
        }
        return next(dueDate, List.of(), createdAt);
    }

    /** The reminders index shard of a message: "0" to "15", from its id. */
    public static String shardOf(String messageId) {
        return Integer.toString(Math.floorMod(messageId.hashCode(), SHARDS));
    }

    /** Whether {@code at} is within the hours reminders are sent: 08:00 to 21:00 in Rome. */
    public static boolean isSendingHour(Instant at) {
        LocalTime time = at.atZone(ZONE).toLocalTime();
        return !time.isBefore(OPENS) && time.isBefore(CLOSES);
    }

    /** The due date's day in Rome ("D"). */
    public static LocalDate dueDay(Instant dueDate) {
        return dueDate.atZone(ZONE).toLocalDate();
    }

    /** How long a reminder sent at {@code at} may still be shown: until 21:00 that day in Rome. */
    public static Duration showFor(Instant at) {
        Instant closes = ZonedDateTime.of(at.atZone(ZONE).toLocalDate(), CLOSES, ZONE).toInstant();
        return closes.isAfter(at) ? Duration.between(at, closes) : Duration.ZERO;
    }

    /** The reminder due at {@code now}, given the reminders already used; empty when none is. */
    public static Optional<Reminder> due(Instant dueDate, List<ReminderSlot> used, Instant now) {
        if (!isSendingHour(now)) {
            return Optional.empty();
        }
        long daysBefore = ChronoUnit.DAYS.between(now.atZone(ZONE).toLocalDate(), dueDay(dueDate));
        if (daysBefore == 1) {
            return has(used, ReminderKind.REMINDER_PAYMENT_LAST) ? Optional.empty() : Optional.of(Reminder.LAST);
        }
        if (daysBefore < 2 || daysBefore > FIRST_DAYS_BEFORE) {
            return Optional.empty();
        }
        List<ReminderSlot> payments = payments(used);
        if (payments.size() >= MAX_PAYMENT_REMINDERS) {
            return Optional.empty();
        }
        if (!payments.isEmpty() && now.isBefore(latest(payments).plus(SPACING))) {
            return Optional.empty();
        }
        return Optional.of(Reminder.payment(payments.size() + 1));
    }

    /**
     * The first time at or after {@code from} that {@link #due} names a reminder, given the
     * reminders already used; empty when none can be due any more (all used, or the due date near
     * or past).
     */
    public static Optional<Instant> next(Instant dueDate, List<ReminderSlot> used, Instant from) {
        LocalDate day = dueDay(dueDate);
        List<Instant> candidates = new ArrayList<>();
        List<ReminderSlot> payments = payments(used);
        if (payments.size() < MAX_PAYMENT_REMINDERS) {
            Instant earliest = latest(from, opening(day.minusDays(FIRST_DAYS_BEFORE)));
            if (!payments.isEmpty()) {
                earliest = latest(earliest, latest(payments).plus(SPACING));
            }
            Instant at = openAtOrAfter(earliest);
            if (!at.atZone(ZONE).toLocalDate().isAfter(day.minusDays(2))) {
                candidates.add(at);
            }
        }
        if (!has(used, ReminderKind.REMINDER_PAYMENT_LAST)) {
            Instant at = openAtOrAfter(latest(from, opening(day.minusDays(1))));
            if (at.atZone(ZONE).toLocalDate().equals(day.minusDays(1))) {
                candidates.add(at);
            }
        }
        return candidates.stream().min(Instant::compareTo);
    }

    /** {@code at} if it is a sending hour, else the next 08:00 in Rome. */
    static Instant openAtOrAfter(Instant at) {
        ZonedDateTime local = at.atZone(ZONE);
        if (local.toLocalTime().isBefore(OPENS)) {
            return opening(local.toLocalDate());
        }
        if (!local.toLocalTime().isBefore(CLOSES)) {
            return opening(local.toLocalDate().plusDays(1));
        }
        return at;
    }

    private static Instant opening(LocalDate day) {
        return ZonedDateTime.of(day, OPENS, ZONE).toInstant();
    }

    private static List<ReminderSlot> payments(List<ReminderSlot> used) {
        return used.stream().filter(slot -> slot.kind() == ReminderKind.REMINDER_PAYMENT).toList();
    }

    private static boolean has(List<ReminderSlot> used, ReminderKind kind) {
        return used.stream().anyMatch(slot -> slot.kind() == kind);
    }

    private static Instant latest(List<ReminderSlot> slots) {
        return slots.stream().map(ReminderSlot::at).max(Instant::compareTo).orElseThrow();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
