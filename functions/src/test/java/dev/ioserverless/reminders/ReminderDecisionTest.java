package dev.ioserverless.reminders;

import static dev.ioserverless.reminders.ReminderScheduleTest.DUE;
import static dev.ioserverless.reminders.ReminderScheduleTest.rome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a run does with a message the index found due. */
class ReminderDecisionTest {
    static final String ID = "01HQZX3T5E8KJ4W2N6R9B7C1DM";

    static PaymentReminderState state(MessageStatus status, FeatureLevelType level, boolean notice, Instant due,
                                      Instant paidAt, List<ReminderSlot> used) {
        return new PaymentReminderState(ID, "RSSMRA80A01H501U", "svc", status, level, notice, due, paidAt, false,
                "Avviso TARI 2027", used, "2027-01-07T07:00:00.000Z", 0);
    }

    static PaymentReminderState processed(List<ReminderSlot> used) {
        return state(MessageStatus.PROCESSED, FeatureLevelType.ADVANCED, true, DUE, null, used);
    }

    @Test
    void aProcessedUnpaidMessageIsRemindedWhenDue() {
        ReminderDecision decision = ReminderDecision.decide(processed(List.of()), rome("2027-01-07T09:00"));
        assertEquals(ReminderDecision.Action.REMIND, decision.action());
        assertEquals(Reminder.payment(1), decision.reminder());
    }

    @Test
    void notDueYetIsRescheduledAndNothingMoreDueIsDropped() {
        List<ReminderSlot> one = List.of(ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T09:00")));
        ReminderDecision early = ReminderDecision.decide(processed(one), rome("2027-01-08T09:00"));
        assertEquals(ReminderDecision.Action.RESCHEDULE, early.action());
        assertEquals(rome("2027-01-10T09:00"), early.next());
        assertEquals(ReminderDecision.Action.DROP, ReminderDecision.decide(processed(one), rome("2027-01-20T09:00")).action(),
                "the due date has come");
    }

    @Test
    void paidUndeliveredOrNotRemindedMessagesLeaveTheIndex() {
        Instant now = rome("2027-01-07T09:00");
        assertEquals("PAID", ReminderDecision.decide(state(MessageStatus.PROCESSED, FeatureLevelType.ADVANCED, true, DUE,
                rome("2027-01-06T12:00"), List.of()), now).reason());
        assertEquals("NOT_DELIVERED", ReminderDecision.decide(state(MessageStatus.REJECTED, FeatureLevelType.ADVANCED, true,
                DUE, null, List.of()), now).reason());
        assertEquals("NOT_DELIVERED", ReminderDecision.decide(state(MessageStatus.FAILED, FeatureLevelType.ADVANCED, true,
                DUE, null, List.of()), now).reason());
        assertEquals("NOT_A_REMINDED_NOTICE", ReminderDecision.decide(state(MessageStatus.PROCESSED, FeatureLevelType.STANDARD,
                true, DUE, null, List.of()), now).reason());
        assertEquals(ReminderDecision.Action.DROP, ReminderDecision.decide(state(MessageStatus.PROCESSED,
                FeatureLevelType.ADVANCED, false, DUE, null, List.of()), now).action());
    }

    @Test
    void aMessageNotProcessedYetWaitsForALaterRun() {
        Instant now = rome("2027-01-07T09:00");
        assertEquals(ReminderDecision.Action.WAIT, ReminderDecision.decide(state(MessageStatus.ACCEPTED,
                FeatureLevelType.ADVANCED, true, DUE, null, List.of()), now).action());
        assertEquals(ReminderDecision.Action.DROP, ReminderDecision.decide(state(MessageStatus.ACCEPTED,
                FeatureLevelType.ADVANCED, true, DUE, null, List.of()), rome("2027-01-20T09:00")).action(),
                "unless nothing can be due any more");
    }

    @Test
    void afterAReminderTheNextOneIsDueWhenTheScheduleSays() {
        ReminderSlot first = ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT, rome("2027-01-07T09:00"));
        assertEquals(Optional.of(rome("2027-01-10T09:00")), ReminderDecision.after(processed(List.of()), first));
        ReminderSlot last = ReminderSlot.sent(ReminderKind.REMINDER_PAYMENT_LAST, rome("2027-01-19T08:00"));
        assertEquals(Optional.empty(), ReminderDecision.after(processed(List.of(first)), last));
    }
}
