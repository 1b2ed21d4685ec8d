package dev.ioserverless.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushNotificationTest {
    static final String ID = "01HQZX3T5E8KJ4W2N6R9B7C1DM";

    @Test
    void apnsPayloadIsAnAlertWithTheMessageId() {
        PushNotification notification = PushNotification.newMessage(ID, Optional.empty(), Optional.empty(), true, Duration.ofHours(1));
        JsonNode apns = Json.read(notification.apnsPayload());
        assertEquals(PushNotification.TITLE, apns.path("aps").path("alert").path("title").textValue());
        assertEquals(PushNotification.BODY, apns.path("aps").path("alert").path("body").textValue());
        assertEquals("default", apns.path("aps").path("sound").textValue());
        assertEquals(ID, apns.path("message_id").textValue());
    }

    @Test
    void fcmPayloadIsAnFcmV1MessageWithStringData() {
        PushNotification notification = PushNotification.newMessage(ID, Optional.of("Comune di Roma - Tributi"),
                Optional.of("Avviso TARI 2026"), false, Duration.ofHours(1));
        JsonNode message = Json.read(notification.fcmPayload()).path("fcmV1Message").path("message");
        assertEquals("Comune di Roma - Tributi", message.path("notification").path("title").textValue());
        assertEquals("Avviso TARI 2026", message.path("notification").path("body").textValue());
        assertTrue(message.path("data").path("message_id").isTextual());
        assertEquals("high", message.path("android").path("priority").textValue());
    }

    @Test
    void snsMessageHasAnEntryPerPlatformAndADefault() {
        PushNotification notification = PushNotification.newMessage(ID, Optional.empty(), Optional.empty(), true, Duration.ofHours(1));
        JsonNode sns = Json.read(notification.snsMessage());
        assertEquals(notification.apnsPayload(), sns.path("APNS").textValue());
        assertEquals(notification.apnsPayload(), sns.path("APNS_SANDBOX").textValue());
        assertEquals(notification.fcmPayload(), sns.path("GCM").textValue());
        assertEquals(PushNotification.TITLE + ". " + PushNotification.BODY, sns.path("default").textValue());
    }

    @Test
    void anonymousNotificationsNameNoSender() {
        PushNotification notification = PushNotification.newMessage(ID, Optional.of("Comune di Roma - Tributi"),
                Optional.of("Avviso TARI 2026"), true, Duration.ofHours(1));
        assertEquals(PushNotification.TITLE, notification.title());
        assertEquals(PushNotification.BODY, notification.body());
        assertTrue(!notification.snsMessage().contains("Roma"));
        assertTrue(!notification.snsMessage().contains("TARI"));
    }

    @Test
    void sendersAndSubjectsAreCleanedAndBoundedAndBlankOnesFallBackToTheFixedTexts() {
        PushNotification controls = PushNotification.newMessage(ID, Optional.of("  Comune\ndi\tRoma  "),
                Optional.of("Avviso\nTARI"), false, Duration.ofHours(1));
        assertEquals("Comune di Roma", controls.title());
        assertEquals("Avviso TARI", controls.body());
        PushNotification blank = PushNotification.newMessage(ID, Optional.of("   "), Optional.of(" "), false,
                Duration.ofHours(1));
        assertEquals(PushNotification.TITLE, blank.title());
        assertEquals(PushNotification.BODY, blank.body());
        PushNotification longName = PushNotification.newMessage(ID, Optional.of("x".repeat(500)), Optional.empty(), false,
                Duration.ofHours(1));
        assertEquals("x".repeat(100), longName.title());
        assertEquals(PushNotification.BODY, longName.body());
    }

    @Test
    void timeToLiveIsWholeSecondsAndAtLeastOne() {
        assertEquals(3599, PushNotification.newMessage(ID, Optional.empty(), Optional.empty(), true, Duration.ofMillis(3_599_900))
                .timeToLiveSeconds());
        assertEquals(1, PushNotification.newMessage(ID, Optional.empty(), Optional.empty(), true, Duration.ofMillis(200))
                .timeToLiveSeconds());
    }
}
