package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.newMessage;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.TestLogs;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageProcessedEvent;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.InstallationRegistrar;
import dev.ioserverless.push.PushNotification;
import dev.ioserverless.push.PushNotificationHandler;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Push: a processed message reaches the citizen's phone once; an expired one is not sent. */
class PushNotificationIT {

    static JsonNode deliveries(String token) {
        return Json.read(TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/push-deliveries?token=" + token))
                .GET()).body()).path("deliveries");
    }

    static java.util.List<JsonNode> pushesOf(String token, String messageId) {
        java.util.List<JsonNode> found = new java.util.ArrayList<>();
        deliveries(token).forEach(d -> {
            if (messageId.equals(d.path("payload").path("message_id").asText())) {
                found.add(d);
            }
        });
        return found;
    }

    static String registerDevice(String fiscalCode) {
        return registerDevice(TestPlatform.get(), fiscalCode);
    }

    static String registerDevice(LocalPlatform platform, String fiscalCode) {
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        new InstallationRegistrar(new DynamoInstallationStore(platform.dynamoDb(), platform.physicalName("InstallationsTable")),
                PushNotificationHandler.pushEndpoints(platform.toolConfig("PushNotificationFunction")), Clock.systemUTC())
                .register(fiscalCode, "phone-" + UUID.randomUUID(), "apns", token);
        return token;
    }

    static String notificationStatus(String messageId) {
        LocalPlatform platform = TestPlatform.get();
        var item = platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                .key(Map.of("id", AttributeValue.fromS(messageId))).consistentRead(true)).item();
        AttributeValue status = item.get("notification_webhook");
        return status == null ? null : status.s();
    }

    @Test
    void theDemoCitizensPhoneGetsOneAnonymousPushPerMessage() {
        JsonNode demo = TestPlatform.demoJson();
        String token = demo.path("citizen_device_token").asText();
        String id = Json.read(post(demo.path("api_key").asText(), "/api/v1/messages/" + demo.path("citizen_fiscal_code").asText(),
                newMessage()).body()).path("id").asText();
        // Other tests write to the demo citizen too: pick this message's pushes out of the phone's list.
        TestPlatform.await(() -> pushesOf(token, id).size() == 1, Duration.ofSeconds(10), "push delivered");
        JsonNode delivery = pushesOf(token, id).get(0);
        assertEquals("APNS", delivery.path("platform").asText());
        assertFalse(delivery.toString().contains(TestData.MARKDOWN.substring(0, 30)), "a push never carries content");
        assertFalse(delivery.toString().contains(TestData.SUBJECT), "a push never carries the subject");
        TestPlatform.await(() -> "SENT".equals(notificationStatus(id)), Duration.ofSeconds(10), "webhook SENT");
    }

    @Test
    void aCitizenWhoChoosesFullPushContentSeesTheSenderAndTheSubjectButNeverTheText() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        assertEquals(200, CitizenApiIT.postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,"
                + "\"push_notifications_content_type\":\"FULL\",\"service_preferences_settings\":{\"mode\":\"AUTO\"}}")
                .statusCode());
        String device = registerDevice(citizen);
        JsonNode demo = TestPlatform.demoJson();
        String id = Json.read(post(demo.path("api_key").asText(), "/api/v1/messages/" + citizen, newMessage()).body())
                .path("id").asText();
        TestPlatform.await(() -> pushesOf(device, id).size() == 1, Duration.ofSeconds(10), "push delivered");
        JsonNode alert = pushesOf(device, id).get(0).path("payload").path("aps").path("alert");
        assertEquals("Comune di Esempio - TARI - Tassa sui rifiuti", alert.path("title").asText());
        assertEquals(TestData.SUBJECT, alert.path("body").asText());
        assertFalse(pushesOf(device, id).get(0).toString().contains(TestData.MARKDOWN.substring(0, 30)), "never the text");

        // Back to ANONYMOUS: the next push names nothing.
        JsonNode profile = Json.read(CitizenApiIT.getProfile("Bearer " + token).body());
        assertEquals(200, CitizenApiIT.postProfile(token, "{\"version\":" + profile.path("version").asInt()
                + ",\"push_notifications_content_type\":\"ANONYMOUS\",\"service_preferences_settings\":{\"mode\":\"AUTO\"}}")
                .statusCode());
        String next = Json.read(post(demo.path("api_key").asText(), "/api/v1/messages/" + citizen, newMessage()).body())
                .path("id").asText();
        TestPlatform.await(() -> pushesOf(device, next).size() == 1, Duration.ofSeconds(10), "push delivered");
        JsonNode anonymous = pushesOf(device, next).get(0).path("payload").path("aps").path("alert");
        assertEquals(PushNotification.TITLE, anonymous.path("title").asText());
        assertEquals(PushNotification.BODY, anonymous.path("body").asText());
    }

    @Test
    void aRedeliveredEventDoesNotPushTwice() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead));
        String citizen = TestData.citizen();
        String token = registerDevice(citizen);
        String id = Json.read(post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).body()).path("id").asText();
        TestPlatform.await(() -> "SENT".equals(notificationStatus(id)), Duration.ofSeconds(10), "webhook SENT");
        assertEquals(1, deliveries(token).size());

        // SQS delivers at least once: the same event again changes nothing on the phone.
        LocalPlatform platform = TestPlatform.get();
        Message message = TestData.messages().find(id).orElseThrow();
        int mark = TestLogs.mark();
        publish(MessageProcessedEvent.of(message));
        platform.sqs().sendMessage(b -> b.queueUrl(platform.queueUrl("PushNotificationsQueue"))
                .messageBody(MessageProcessedEvent.of(message).toJson()));
        // The positive signal: the push function has handled both copies and found the device served.
        List<JsonNode> handled = TestLogs.awaitEvents(mark, pushHandled(id), 2, Duration.ofSeconds(10));
        handled.forEach(line -> assertEquals(1, line.path("already_sent").asInt(), line.toString()));
        handled.forEach(line -> assertEquals(0, line.path("sent").asInt(), line.toString()));
        assertEquals(1, deliveries(token).size());
    }

    @Test
    void aMessagePastItsTimeToLiveIsNotPushedAndReadsExpired() {
        LocalPlatform platform = TestPlatform.get();
        String citizen = TestData.citizen();
        String token = registerDevice(citizen);
        Message old = Message.accepted(Ulid.next(), citizen, TestPlatform.demoJson().path("service_id").asText(),
                Instant.now().minus(Duration.ofHours(2)), 3600, FeatureLevelType.STANDARD,
                MessageContent.parse(Json.read("{\"subject\":\"" + TestData.SUBJECT + "\",\"markdown\":\"" + TestData.MARKDOWN + "\"}")));
        TestData.messages().create(old);
        publish(MessageProcessedEvent.of(old));
        TestPlatform.await(() -> "EXPIRED".equals(notificationStatus(old.id())), Duration.ofSeconds(10), "webhook EXPIRED");
        assertEquals(0, deliveries(token).size(), "nothing is sent once created_at + time_to_live has passed");
    }

    @Test
    void aCitizenWithoutDevicesHasNoPushChannelStatus() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead));
        String citizen = TestData.citizen();
        int mark = TestLogs.mark();
        String id = Json.read(post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).body()).path("id").asText();
        // The positive signal: the push function has handled this message's event and found no device.
        JsonNode handled = TestLogs.awaitEvents(mark, pushHandled(id), 1, Duration.ofSeconds(10)).get(0);
        assertEquals("NO_INSTALLATIONS", handled.path("outcome").asText(), handled.toString());
        assertEquals(null, notificationStatus(id));
    }

    @Test
    void pushDeliveriesNeedAToken() {
        var response = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/push-deliveries")).GET());
        assertEquals(400, response.statusCode());
        assertTrue(deliveries("unknown-token").isEmpty());
    }

    /** As ProcessMessage publishes it: on the message-events topic with the event_type attribute. */
    static void publish(MessageProcessedEvent event) {
        LocalPlatform platform = TestPlatform.get();
        platform.sns().publish(b -> b.topicArn(platform.stack().arn("MessageEventsTopic")).message(event.toJson())
                .messageAttributes(Map.of(MessageProcessedEvent.EVENT_TYPE_ATTRIBUTE, MessageAttributeValue.builder()
                        .dataType("String").stringValue(MessageProcessedEvent.EVENT_TYPE).build())));
    }

    /** The push function's line for one event of the message. */
    private static Predicate<JsonNode> pushHandled(String messageId) {
        return line -> "push_notification".equals(line.path("event").asText())
                && messageId.equals(line.path("message_id").asText());
    }
}
