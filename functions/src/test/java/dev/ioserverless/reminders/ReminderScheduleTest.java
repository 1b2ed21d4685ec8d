package dev.ioserverless.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.messages.FeatureLevelType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IO's payment reminder rules, in milliseconds: when each reminder is due, in Rome's days and hours. */
class ReminderScheduleTest {
    static final ZoneId ROME = ZoneId.of("Europe/Rome");
    /** The due date: 20 January 2027, noon in Rome. D-13 is 7 January. */
    static final Instant DUE = rome("2027-01-20T12:00");
    static final LocalDate D = LocalDate.parse("2027-01-20");

    static Instant rome(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ROME).toInstant();
    }

    static Instant romeDay(LocalDate day, int hour) {
        return day.atTime(hour, 0).atZone(ROME).toInstant();
    }

    /** Every hour on the hour from {@code from} to {@code to}: what an hourly schedule would try. */
    static List<ReminderSlot> runHourly(Instant due, Instant from, Instant to, List<ReminderSlot> start) {
        List<ReminderSlot> used = new ArrayList<>(start);
        for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofHours(1))) {
            Optional<Reminder> reminder = ReminderSchedule.due(due, used, t);
            if (reminder.isPresent()) {
                used.add(ReminderSlot.sent(reminder.get().kind(), t));
            }
        }
        return used;
    }

    @Test
    void overTwentyDaysAMessageGetsFourRemindersThreeDaysApartAndTheLastOneTheDayBefore() {
        List<ReminderSlot> used = runHourly(DUE, romeDay(D.minusDays(20), 0), romeDay(D.plusDays(3), 0), List.of());
        assertEquals(List.of(
                ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, romeDay(D.minusDays(13), 8)),
                ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, romeDay(D.minusDays(10), 8)),
                ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, romeDay(D.minusDays(7), 8)),
                ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, romeDay(D.minusDays(4), 8)),
                ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT_LAST, romeDay(D.minusDays(1), 8))), used);
    }

    @Test
    void theIndexDrivenRunsSendExactlyWhatHourlyRunsWould() {
        // Jump from next time to next time, as the reminders index does, instead of trying every hour.
        List<ReminderSlot> used = new ArrayList<>();
        Optional<Instant> next = ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, romeDay(D.minusDays(20), 9));
        while (next.isPresent()) {
            Reminder reminder = ReminderSchedule.due(DUE, used, next.get()).orElseThrow(() -> new AssertionError("not due"));
            ReminderSlot slot = ReminderSlot.sent(reminder.kind(), next.get());
            used.add(slot);
            next = ReminderSchedule.next(DUE, used, slot.at());
            next.ifPresent(at -> assertTrue(at.isAfter(slot.at())));
        }
        assertEquals(runHourly(DUE, romeDay(D.minusDays(20), 0), romeDay(D.plusDays(3), 0), List.of()), used);
    }

    /** due() names a reminder at an hour exactly when next() from that hour is that hour: the index never misses one. */
    @Test
    void nextAndDueAgreeAtEveryHourWhateverHasBeenUsed() {
        List<List<ReminderSlot>> histories = List.of(
                List.of(),
                List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-09T20:30"))),
                List.of(ReminderSlot.skipped(ReminderKind.REMINDER_PAYMENT, rome("2027-01-08T08:00")),
                        ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-12T15:00"))),
                List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT_LAST, rome("2027-01-19T08:00"))));
        for (List<ReminderSlot> used : histories) {
            for (Instant t = romeDay(D.minusDays(16), 0); t.isBefore(romeDay(D.plusDays(2), 0)); t = t.plus(Duration.ofMinutes(30))) {
                boolean due = ReminderSchedule.due(DUE, used, t).isPresent();
                Optional<Instant> next = ReminderSchedule.next(DUE, used, t);
                assertEquals(due, next.equals(Optional.of(t)), used + " at " + t);
                next.ifPresent(at -> assertTrue(ReminderSchedule.due(DUE, used, at).isPresent(), "due at its next time " + at));
            }
        }
    }

    @ParameterizedTest(name = "{0} Rome: {1}")
    @CsvSource({
        "2027-01-07T07:59, false",
        "2027-01-07T08:00, true",
        "2027-01-07T20:59, true",
        "2027-01-07T21:00, false",
        "2027-01-07T23:30, false",
        "2027-07-07T08:00, true",    // summer: Rome is UTC+2, the hours are Rome's
        "2027-07-07T07:59, false",
    })
    void remindersGoOutFromEightToNineInTheEveningInRome(String local, boolean open) {
        assertEquals(open, ReminderSchedule.isSendingHour(rome(local)));
    }

    @Test
    void nothingOutsideTheHoursAndTheFirstRunAfterEightSendsIt() {
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, List.of(), rome("2027-01-07T07:30")));
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, List.of(), rome("2027-01-07T21:00")));
        assertEquals(Optional.of(Reminder.payment(1)), ReminderSchedule.due(DUE, List.of(), rome("2027-01-07T08:00")));
        assertEquals(Optional.of(rome("2027-01-07T08:00")), ReminderSchedule.next(DUE, List.of(), rome("2027-01-06T22:00")));
        assertEquals(Optional.of(rome("2027-01-08T08:00")), ReminderSchedule.next(DUE,
                List.of(), rome("2027-01-07T21:30")), "after 21:00 the next morning");
    }

    @Test
    void thirteenDaysBeforeIsTheFirstDayAndTheDayBeforeHasOnlyTheLast() {
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, List.of(), romeDay(D.minusDays(14), 12)), "D-14: not yet");
        assertEquals(Optional.of(Reminder.payment(1)), ReminderSchedule.due(DUE, List.of(), romeDay(D.minusDays(13), 12)));
        assertEquals(Optional.of(Reminder.payment(1)), ReminderSchedule.due(DUE, List.of(), romeDay(D.minusDays(2), 12)));
        assertEquals(Optional.of(Reminder.LAST), ReminderSchedule.due(DUE, List.of(), romeDay(D.minusDays(1), 12)),
                "D-1: \"due tomorrow\", not a REMINDER_PAYMENT");
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, List.of(), romeDay(D, 9)), "none on the due date");
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, List.of(), romeDay(D.plusDays(1), 9)), "none after");
    }

    @Test
    void atLeastSeventyTwoHoursApartAndAtMostFour() {
        List<ReminderSlot> one = List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T15:00")));
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, one, rome("2027-01-10T14:59")));
        assertEquals(Optional.of(Reminder.payment(2)), ReminderSchedule.due(DUE, one, rome("2027-01-10T15:00")));
        assertEquals(Optional.of(rome("2027-01-10T15:00")), ReminderSchedule.next(DUE, one, rome("2027-01-07T15:00")));
        List<ReminderSlot> four = new ArrayList<>();
        for (int day = 7; day <= 16; day += 3) {
            four.add(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-%02dT08:00".formatted(day))));
        }
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, four, rome("2027-01-18T12:00")), "four is the most");
        assertEquals(Optional.of(romeDay(D.minusDays(1), 8)), ReminderSchedule.next(DUE, four, rome("2027-01-16T08:00")),
                "only the last one is left");
    }

    @Test
    void theLastOneComesTheDayBeforeWhateverCameJustBefore() {
        List<ReminderSlot> yesterday = List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, romeDay(D.minusDays(2), 20)));
        assertEquals(Optional.of(Reminder.LAST), ReminderSchedule.due(DUE, yesterday, romeDay(D.minusDays(1), 8)));
        List<ReminderSlot> last = List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT_LAST, romeDay(D.minusDays(1), 8)));
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, last, romeDay(D.minusDays(1), 9)), "once");
        assertEquals(Optional.empty(), ReminderSchedule.next(DUE, last, romeDay(D.minusDays(1), 8)), "then nothing more");
    }

    @Test
    void aSkippedReminderCountsAsUsed() {
        List<ReminderSlot> skipped = List.of(ReminderSlot.skipped(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T08:00")));
        assertEquals(Optional.empty(), ReminderSchedule.due(DUE, skipped, rome("2027-01-08T08:00")));
        assertEquals(Optional.of(Reminder.payment(2)), ReminderSchedule.due(DUE, skipped, rome("2027-01-10T08:00")));
    }

    @Test
    void aMessageArrivingLateGetsWhatIsStillDue() {
        // Created on D-2 at 22:00: no REMINDER_PAYMENT can go out any more (21:00 has passed), the last one can.
        assertEquals(Optional.of(romeDay(D.minusDays(1), 8)),
                ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, rome("2027-01-18T22:00")));
        // Created on D-5 at 10:30: due at once.
        assertEquals(Optional.of(rome("2027-01-15T10:30")),
                ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, rome("2027-01-15T10:30")));
        // Created on D-1 at 21:10, or on the due date: nothing.
        assertEquals(Optional.empty(), ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, rome("2027-01-19T21:10")));
        assertEquals(Optional.empty(), ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, rome("2027-01-20T08:00")));
    }

    @Test
    void onlyAdvancedMessagesWithANoticeAndADueDateHaveReminders() {
        Instant created = rome("2027-01-01T10:00");
        assertTrue(ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, DUE, created).isPresent());
        assertFalse(ReminderSchedule.firstDue(FeatureLevelType.STANDARD, true, DUE, created).isPresent());
        assertFalse(ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, false, DUE, created).isPresent());
        assertFalse(ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, null, created).isPresent());
    }

    @Test
    void theDueDayIsRomesDay() {
        // 23:30 UTC on the 19th is already the 20th in Rome: the last reminder is on the 19th.
        Instant lateUtc = Instant.parse("2027-01-19T23:30:00Z");
        assertEquals(D, ReminderSchedule.dueDay(lateUtc));
        assertEquals(Optional.of(Reminder.LAST), ReminderSchedule.due(lateUtc, List.of(), romeDay(D.minusDays(1), 10)));
    }

    @Test
    void daylightSavingChangesKeepRomesHours() {
        // Due 31 March 2027, noon: D-4 (27 March) is a winter day, D-1 (30 March) a summer day.
        Instant due = rome("2027-03-31T12:00");
        List<ReminderSlot> used = runHourly(due, rome("2027-03-10T00:00"), rome("2027-04-02T00:00"), List.of());
        assertEquals(List.of(rome("2027-03-18T08:00"), rome("2027-03-21T08:00"), rome("2027-03-24T08:00"),
                        rome("2027-03-27T08:00"), rome("2027-03-30T08:00")),
                used.stream().map(ReminderSlot::at).toList());
        // 72 hours after 27 March 08:00 (winter) is 30 March 09:00 summer time: the last one does not wait for it.
        assertEquals(ReminderKind.REMINDER_PAYMENT_LAST, used.get(4).kind());
    }

    @Test
    void theSpacingIsSeventyTwoRealHoursAcrossTheChangeToSummerTime() {
        // Due 5 April 2027: the clocks go forward on 28 March, between the second and third reminders.
        Instant due = rome("2027-04-05T12:00");
        List<ReminderSlot> used = runHourly(due, rome("2027-03-15T00:00"), rome("2027-04-07T00:00"), List.of());
        assertEquals(List.of(rome("2027-03-23T08:00"), rome("2027-03-26T08:00"), rome("2027-03-29T09:00"),
                        rome("2027-04-01T09:00"), rome("2027-04-04T08:00")),
                used.stream().map(ReminderSlot::at).toList());
    }

    @Test
    void aReminderIsShownUntilNineInTheEvening() {
        assertEquals(Duration.ofHours(13), ReminderSchedule.showFor(rome("2027-01-07T08:00")));
        assertEquals(Duration.ofMinutes(1), ReminderSchedule.showFor(rome("2027-01-07T20:59")));
        assertEquals(Duration.ZERO, ReminderSchedule.showFor(rome("2027-01-07T21:30")));
    }

    @Test
    void sixteenShardsFromTheId() {
        java.util.Set<String> shards = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String shard = ReminderSchedule.shardOf(dev.ioserverless.common.Ulid.next());
            assertTrue(shard.matches("[0-9]|1[0-5]"), shard);
            shards.add(shard);
        }
        assertEquals(16, shards.size(), "every shard is used");
        String id = "01HQZX3T5E8KJ4W2N6R9B7C1DM";
        assertEquals(ReminderSchedule.shardOf(id), ReminderSchedule.shardOf(id), "stable");
    }

    @Test
    void eachReminderHasItsOwnLedgerKind() {
        assertEquals("REMINDER_PAYMENT#1", Reminder.payment(1).deliveryKind());
        assertEquals("REMINDER_PAYMENT#4", Reminder.payment(4).deliveryKind());
        assertEquals("REMINDER_PAYMENT_LAST", Reminder.LAST.deliveryKind());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Reminder.payment(5));
    }
}
