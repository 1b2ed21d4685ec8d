package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageProcessedEvent;
import dev.ioserverless.profiles.AccessReadMessageStatus;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ServiceGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * GET /api/v1/messages/{fiscal_code}/{id} over HTTP: notification.webhook, read_status and
 * payment_status, and when each one appears.
 */
class AdvancedMessageIT {
    static final String ADVANCED_PAYMENT = "{\"feature_level_type\":\"ADVANCED\",\"content\":{\"subject\":\"" + SUBJECT
            + "\",\"markdown\":\"" + MARKDOWN + "\",\"payment_data\":{\"amount\":12050,\"notice_number\":\"302000100000019421\"}}}";

    static final Set<ServiceGroup> ADVANCED_READER = EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteAdvanced,
            ServiceGroup.ApiMessageRead, ServiceGroup.ApiMessageReadAdvanced);

    static JsonNode awaitMessage(String key, String citizen, String id, Predicate<JsonNode> condition, String what) {
        JsonNode[] last = new JsonNode[1];
        TestPlatform.await(() -> {
            var response = TestData.get(key, "/api/v1/messages/" + citizen + "/" + id);
            last[0] = response.statusCode() == 200 ? Json.read(response.body()) : null;
            return last[0] != null && condition.test(last[0]);
        }, Duration.ofSeconds(10), what);
        return last[0];
    }

    static void setAttribute(String messageId, String attribute) {
        LocalPlatform platform = TestPlatform.get();
        platform.dynamoDb().updateItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                .key(Map.of("id", AttributeValue.fromS(messageId)))
                .updateExpression("SET #a = :now")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Instant.now().toString()))));
    }

    @Test
    void anAdvancedPaymentMessageShowsPushReadAndPaymentStatus() {
        TestService service = TestData.service(ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String citizen = TestData.citizen();
        PushNotificationIT.registerDevice(citizen);
        String id = Json.read(post(service.primaryKey(), "/api/v1/messages/" + citizen, ADVANCED_PAYMENT).body())
                .path("id").asText();

        JsonNode read = awaitMessage(service.primaryKey(), citizen, id,
                m -> m.path("notification").path("webhook").asText().equals("SENT"), "pushed");
        assertEquals("PROCESSED", read.path("status").asText());
        assertEquals("UNREAD", read.path("read_status").asText());
        assertEquals("NOT_PAID", read.path("payment_status").asText());
        assertEquals(Set.of("message", "status", "notification", "read_status", "payment_status"),
                MessageFlowIT.fieldNames(read));
        assertEquals(Set.of("webhook"), MessageFlowIT.fieldNames(read.path("notification")));

        // What the citizen app and the payment callback will record on the message:
        setAttribute(id, "read_at");
        setAttribute(id, "paid_at");
        JsonNode later = Json.read(TestData.get(service.primaryKey(), "/api/v1/messages/" + citizen + "/" + id).body());
        assertEquals("READ", later.path("read_status").asText());
        assertEquals("PAID", later.path("payment_status").asText());
    }

    @Test
    void withoutApiMessageReadAdvancedOrForAStandardMessageTheyAreAbsent() {
        TestService plainReader = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteAdvanced,
                ServiceGroup.ApiMessageRead), Set.of(), List.of(), 1_000_000, 150);
        String citizen = TestData.citizen();
        String id = Json.read(post(plainReader.primaryKey(), "/api/v1/messages/" + citizen, ADVANCED_PAYMENT).body())
                .path("id").asText();
        JsonNode read = awaitMessage(plainReader.primaryKey(), citizen, id,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        assertFalse(read.has("read_status"));
        assertFalse(read.has("payment_status"));
        assertFalse(read.has("notification"), "no device, no push channel status");

        TestService advanced = TestData.service(ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String standard = Json.read(post(advanced.primaryKey(), "/api/v1/messages/" + citizen, TestData.newMessage()).body())
                .path("id").asText();
        JsonNode standardRead = awaitMessage(advanced.primaryKey(), citizen, standard,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        assertFalse(standardRead.has("read_status"));
        assertFalse(standardRead.has("payment_status"));
    }

    @Test
    void aCitizenWhoDoesNotShareReadingsReadsUnavailable() {
        TestService service = TestData.service(ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String citizen = FiscalCodes.random();
        TestData.profile(citizen, true, ServicePreferencesMode.MANUAL, Map.of());
        LocalPlatform platform = TestPlatform.get();
        new DynamoServicePreferenceStore(platform.dynamoDb(), platform.physicalName("ServicePreferencesTable"))
                .save(new ServicePreference(citizen, service.id(), true, false, true, 1, AccessReadMessageStatus.DENY));
        String id = Json.read(post(service.primaryKey(), "/api/v1/messages/" + citizen, ADVANCED_PAYMENT).body())
                .path("id").asText();
        JsonNode read = awaitMessage(service.primaryKey(), citizen, id,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        assertEquals("UNAVAILABLE", read.path("read_status").asText());
        assertEquals("NOT_PAID", read.path("payment_status").asText());
    }

    @Test
    void aMessagePastItsTimeToLiveReadsExpired() {
        TestService service = TestData.service(ADVANCED_READER);
        String citizen = TestData.citizen();
        PushNotificationIT.registerDevice(citizen);
        LocalPlatform platform = TestPlatform.get();
        Message old = Message.accepted(Ulid.next(), citizen, service.id(), Instant.now().minus(Duration.ofHours(2)), 3600,
                FeatureLevelType.STANDARD, MessageContent.parse(Json.read(
                        "{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\"}")));
        TestData.messages().create(old);
        PushNotificationIT.publish(MessageProcessedEvent.of(old));
        awaitMessage(service.primaryKey(), citizen, old.id(),
                m -> m.path("notification").path("webhook").asText().equals("EXPIRED"), "notification.webhook EXPIRED");
    }
}
