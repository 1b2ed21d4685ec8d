package dev.ioserverless.reminders;

import static dev.ioserverless.reminders.ReminderFixture.CITIZEN;
import static dev.ioserverless.reminders.ReminderScheduleTest.DUE;
import static dev.ioserverless.reminders.ReminderScheduleTest.rome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.push.Installation;
import dev.ioserverless.push.PushNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reminder run over in-memory fakes: what is pushed, what is recorded, and that nothing is pushed twice. */
class PaymentRemindersTest {
    static final Instant CREATED = rome("2027-01-01T10:00");
    static final Instant D13 = rome("2027-01-07T09:00");

    ReminderFixture f;
    Installation phone;
    Installation tablet;

    @BeforeEach
    void setUp() {
        f = new ReminderFixture();
        f.citizen(CITIZEN, "ENABLED", null);
        phone = f.device(CITIZEN, "a-phone");
        tablet = f.device(CITIZEN, "b-tablet");
    }

    @Test
    void theReminderDueGoesToEveryDeviceAndIsRecordedWithTheNextOne() {
        String id = f.message(DUE, CREATED);
        PaymentReminders.RunResult run = f.run(D13);
        assertEquals(1, run.count(PaymentReminders.Outcome.SENT));
        for (Installation device : List.of(phone, tablet)) {
            assertEquals(1, f.pushesTo(device).size());
            PushNotification push = f.pushesTo(device).get(0).notification();
            assertEquals(ReminderNotifications.PAYMENT_TITLE, push.title(), "anonymous: the citizen never chose FULL");
            assertEquals(PushNotification.deepLinkTo(id), push.deepLink());
            assertEquals("SENT", f.ledger.status(id, "REMINDER_PAYMENT#1", device.installationId()));
        }
        PaymentReminderState state = f.store.get(id);
        assertEquals(List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, D13)), state.used());
        assertEquals(Timestamps.format(rome("2027-01-10T09:00")), state.nextReminderAt(), "72 hours later");
    }

    @Test
    void outsideTheHoursARunReadsNothing() {
        f.message(DUE, CREATED);
        PaymentReminders.RunResult run = f.run(rome("2027-01-07T21:00"));
        assertFalse(run.sendingHours());
        assertEquals(List.of(), f.store.calls, "not even the index");
        assertEquals(0, f.endpoints.pushes.size());
    }

    @Test
    void aRunRepeatedAtTheSameInstantSendsNothingNew() {
        String id = f.message(DUE, CREATED);
        f.run(D13);
        PaymentReminders.RunResult again = f.run(D13);
        assertEquals(0, again.found(), "the message left the due range");
        assertEquals(1, f.pushesTo(phone).size());
        assertEquals(1, f.store.get(id).used().size());
    }

    /** The function fails after pushing, before recording: the next run decides the same reminder and the ledger stops the re-push. */
    @Test
    void aCrashAfterPushingBeforeRecordingNeverPushesTwice() {
        String id = f.message(DUE, CREATED);
        f.store.failNextAdvance = new IllegalStateException("the function died here");
        PaymentReminders.RunResult crashed = f.run(D13);
        assertEquals(1, crashed.count(PaymentReminders.Outcome.FAILED));
        assertEquals(1, f.pushesTo(phone).size(), "the devices got it before the crash");
        assertEquals(List.of(), f.store.get(id).used(), "nothing recorded");

        PaymentReminders.RunResult again = f.run(rome("2027-01-07T10:00"));
        assertEquals(1, again.count(PaymentReminders.Outcome.SENT));
        assertEquals(1, f.pushesTo(phone).size(), "no second push");
        assertEquals(1, f.pushesTo(tablet).size());
        assertEquals(List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T10:00"))), f.store.get(id).used());
    }

    @Test
    void aDeviceSnsFailsForGetsTheReminderOnTheNextRunAndTheOthersNoSecondOne() {
        String id = f.message(DUE, CREATED);
        f.endpoints.failingEndpoints.add(tablet.endpointArn());
        PaymentReminders.RunResult first = f.run(D13);
        assertEquals(1, first.count(PaymentReminders.Outcome.UNFINISHED));
        assertEquals(1, f.pushesTo(phone).size());
        assertEquals(0, f.pushesTo(tablet).size());
        assertEquals(List.of(), f.store.get(id).used());
        assertEquals(1, f.store.get(id).attempts());

        f.endpoints.failingEndpoints.clear();
        PaymentReminders.RunResult second = f.run(rome("2027-01-07T10:00"));
        assertEquals(1, second.count(PaymentReminders.Outcome.SENT));
        assertEquals(1, f.pushesTo(phone).size(), "the phone already had it");
        assertEquals(1, f.pushesTo(tablet).size());
        assertEquals(0, f.store.get(id).attempts());
        assertEquals(1, f.store.get(id).used().size());
    }

    @Test
    void aDeviceThatKeepsFailingHoldsTheOthersBackForThreeRunsAtMost() {
        String id = f.message(DUE, CREATED);
        f.endpoints.failingEndpoints.add(tablet.endpointArn());
        List<PaymentReminders.Outcome> outcomes = new ArrayList<>();
        for (int hour = 9; hour <= 12; hour++) {
            PaymentReminders.RunResult run = f.run(rome("2027-01-07T%02d:00".formatted(hour)));
            run.outcomes().keySet().forEach(outcomes::add);
        }
        assertEquals(List.of(PaymentReminders.Outcome.UNFINISHED, PaymentReminders.Outcome.UNFINISHED,
                PaymentReminders.Outcome.SENT), outcomes, "the third run records it as it stands, the fourth finds nothing due");
        assertEquals(1, f.pushesTo(phone).size());
        assertEquals(List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T11:00"))), f.store.get(id).used());
        f.endpoints.failingEndpoints.clear();
        f.run(rome("2027-01-10T11:00"));
        assertEquals(2, f.pushesTo(phone).size());
        assertEquals(1, f.pushesTo(tablet).size(), "the second reminder reaches it");
        assertEquals("SENT", f.ledger.status(id, "REMINDER_PAYMENT#2", tablet.installationId()));
    }

    @Test
    void throttlingEndsTheRunAndLeavesTheRestForTheNext() {
        f.message(DUE, CREATED);
        f.message(DUE, CREATED.plusSeconds(1));
        f.endpoints.throttleAfter = 0;
        PaymentReminders.RunResult run = f.run(D13);
        assertTrue(run.throttled());
        assertTrue(run.stoppedEarly());
        assertEquals(1, run.found());
        f.endpoints.throttleAfter = -1;
        PaymentReminders.RunResult next = f.run(rome("2027-01-07T10:00"));
        assertEquals(2, next.count(PaymentReminders.Outcome.SENT));
        assertEquals(2, f.pushesTo(phone).size());
    }

    @Test
    void aCitizenWithRemindersOffGetsNoneAndTheScheduleMovesOn() {
        f.citizen(CITIZEN, "DISABLED", null);
        String id = f.message(DUE, CREATED);
        PaymentReminders.RunResult run = f.run(D13);
        assertEquals(1, run.count(PaymentReminders.Outcome.SKIPPED));
        assertEquals(0, f.endpoints.pushes.size());
        assertEquals(List.of(ReminderSlot.skipped(ReminderKind.REMINDER_PAYMENT, D13)), f.store.get(id).used());
        assertEquals(Timestamps.format(rome("2027-01-10T09:00")), f.store.get(id).nextReminderAt(),
                "asked again at the next reminder, in case they change their mind");
        assertFalse(f.installations.calls.contains("findAll"), "the devices are not even read");
    }

    @Test
    void aCitizenWithoutDevicesUsesTheReminderUp() {
        f.installations.delete(phone.key());
        f.installations.delete(tablet.key());
        String id = f.message(DUE, CREATED);
        assertEquals(1, f.run(D13).count(PaymentReminders.Outcome.SKIPPED));
        assertFalse(f.store.get(id).used().get(0).sent());
    }

    @Test
    void aPaidMessageLeavesTheIndexAndGetsNothingMore() {
        String id = f.message(DUE, CREATED);
        f.run(D13);
        f.store.pay(id, rome("2027-01-08T12:00"));
        PaymentReminders.RunResult later = f.run(rome("2027-01-10T09:00"));
        assertEquals(0, later.found(), "the payment removed it from the index");
        assertEquals(1, f.pushesTo(phone).size());
    }

    @Test
    void aPaymentBetweenTheReadAndTheWriteIsNeverUndone() {
        String id = f.message(DUE, CREATED);
        f.store.beforeAdvance = () -> f.store.pay(id, D13);
        PaymentReminders.RunResult run = f.run(D13);
        assertEquals(1, run.count(PaymentReminders.Outcome.SENT), "pushed before the payment was seen");
        assertNull(f.store.get(id).nextReminderAt(), "still out of the index");
    }

    @Test
    void aMessageNotProcessedYetIsTriedAgainLater() {
        String id = f.message(DUE, CREATED, MessageStatus.ACCEPTED, false);
        assertEquals(1, f.run(D13).count(PaymentReminders.Outcome.WAITING));
        assertEquals(0, f.endpoints.pushes.size());
        String before = f.store.get(id).nextReminderAt();
        f.store.put(new PaymentReminderState(id, CITIZEN, ReminderFixture.SERVICE, MessageStatus.PROCESSED,
                f.store.get(id).featureLevel(), true, DUE, null, false, ReminderFixture.SUBJECT, List.of(), before, 0));
        assertEquals(1, f.run(rome("2027-01-07T10:00")).count(PaymentReminders.Outcome.SENT));
    }

    @Test
    void aRejectedMessageIsDropped() {
        String id = f.message(DUE, CREATED, MessageStatus.REJECTED, false);
        assertEquals(1, f.run(D13).count(PaymentReminders.Outcome.DROPPED));
        assertNull(f.store.get(id).nextReminderAt());
    }

    @Test
    void fullPushContentShowsTheSenderAndTheSubjectUnlessTheMessageRequiresSecureChannels() {
        f.citizen(CITIZEN, "ENABLED", "FULL");
        f.message(DUE, CREATED);
        f.message(DUE, CREATED.plusSeconds(1), MessageStatus.PROCESSED, true);
        f.run(D13);
        List<String> titles = f.pushesTo(phone).stream().map(p -> p.notification().title()).sorted().toList();
        assertEquals(List.of(ReminderFixture.SERVICE_NAME, ReminderNotifications.PAYMENT_TITLE), titles);
        assertTrue(f.pushesTo(phone).stream().anyMatch(p -> p.notification().body().equals(
                "Payment reminder: " + ReminderFixture.SUBJECT)));
    }

    @Test
    void overTwentyDaysOfHourlyRunsEachDeviceGetsEachReminderOnce() {
        String id = f.message(DUE, CREATED);
        for (Instant t = rome("2027-01-02T08:00"); t.isBefore(rome("2027-01-23T08:00")); t = t.plusSeconds(3600)) {
            f.run(t);
        }
        List<String> kinds = f.pushesTo(phone).stream().map(p -> p.notification().title()).toList();
        assertEquals(List.of(ReminderNotifications.PAYMENT_TITLE, ReminderNotifications.PAYMENT_TITLE,
                ReminderNotifications.PAYMENT_TITLE, ReminderNotifications.PAYMENT_TITLE, ReminderNotifications.LAST_TITLE), kinds);
        assertEquals(5, f.pushesTo(tablet).size());
        assertNull(f.store.get(id).nextReminderAt(), "out of the index once the last one is sent");
        for (String kind : List.of("REMINDER_PAYMENT#1", "REMINDER_PAYMENT#2", "REMINDER_PAYMENT#3", "REMINDER_PAYMENT#4",
                "REMINDER_PAYMENT_LAST")) {
            assertEquals("SENT", f.ledger.status(id, kind, phone.installationId()), kind);
        }
    }
}
