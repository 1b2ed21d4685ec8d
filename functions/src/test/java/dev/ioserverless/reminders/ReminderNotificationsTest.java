package dev.ioserverless.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.push.PushNotification;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reminder's push: anonymous or FULL as the message's push is, with the deep link to the message. */
class ReminderNotificationsTest {
    static final String ID = "01HQZX3T5E8KJ4W2N6R9B7C1DM";
    static final Optional<String> SENDER = Optional.of("Comune di Esempio - TARI");
    static final Optional<String> SUBJECT = Optional.of("Avviso TARI 2027");

    @Test
    void anonymousRemindersNameNoServiceAndShowNoSubject() {
        PushNotification payment = ReminderNotifications.of(ID, Reminder.payment(2), true, SENDER, SUBJECT, Duration.ofHours(3));
        assertEquals(ReminderNotifications.PAYMENT_TITLE, payment.title());
        assertEquals(ReminderNotifications.BODY, payment.body());
        assertFalse(payment.snsMessage().contains("Esempio"));
        assertFalse(payment.snsMessage().contains("TARI"));
        PushNotification last = ReminderNotifications.of(ID, Reminder.LAST, true, SENDER, SUBJECT, Duration.ofHours(3));
        assertEquals(ReminderNotifications.LAST_TITLE, last.title());
    }

    @Test
    void fullRemindersShowTheSenderAndTheSubject() {
        PushNotification payment = ReminderNotifications.of(ID, Reminder.payment(1), false, SENDER, SUBJECT, Duration.ofHours(3));
        assertEquals("Comune di Esempio - TARI", payment.title());
        assertEquals("Payment reminder: Avviso TARI 2027", payment.body());
        PushNotification last = ReminderNotifications.of(ID, Reminder.LAST, false, SENDER, SUBJECT, Duration.ofHours(3));
        assertEquals("Due tomorrow: Avviso TARI 2027", last.body());
        PushNotification unknown = ReminderNotifications.of(ID, Reminder.LAST, false, Optional.empty(), Optional.empty(),
                Duration.ofHours(3));
        assertEquals(ReminderNotifications.LAST_TITLE, unknown.title());
        assertEquals(ReminderNotifications.BODY, unknown.body());
        PushNotification noSubject = ReminderNotifications.of(ID, Reminder.payment(1), false, SENDER, Optional.empty(),
                Duration.ofHours(3));
        assertEquals(ReminderNotifications.PAYMENT_TITLE, noSubject.body(), "the kind is still told");
    }

    @Test
    void thePayloadCarriesTheMessageIdAndTheDeepLinkAndLivesUntilTheHoursEnd() {
        PushNotification push = ReminderNotifications.of(ID, Reminder.payment(1), true, SENDER, SUBJECT, Duration.ofMinutes(90));
        JsonNode apns = Json.read(push.apnsPayload());
        assertEquals(ID, apns.path("message_id").asText());
        assertEquals("ioit://messages/" + ID, apns.path("deep_link").asText());
        JsonNode data = Json.read(push.fcmPayload()).path("fcmV1Message").path("message").path("data");
        assertEquals("ioit://messages/" + ID, data.path("deep_link").asText());
        assertEquals(5400, push.timeToLiveSeconds());
    }
}
