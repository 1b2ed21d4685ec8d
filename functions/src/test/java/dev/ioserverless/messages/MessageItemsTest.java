package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB item form of messages. */
class MessageItemsTest {

    static Message message() {
        return Message.accepted(Ulid.of(TestMessages.NOW.toEpochMilli()), "RSSMRA80A01H501U", "svc", TestMessages.NOW,
                86_400, FeatureLevelType.ADVANCED,
                new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, Instant.parse("2024-04-30T23:59:59.999Z"),
                        new PaymentData(18_250, "302000100000009424", true, "01199250158"), false));
    }

    @Test
    void itemHasTheDocumentedAttributes() {
        Message message = message();
        Map<String, AttributeValue> item = DynamoMessageStore.toItem(message);
        assertEquals(message.id(), item.get("id").s());
        assertEquals("RSSMRA80A01H501U", item.get("fiscal_code").s());
        assertEquals("svc", item.get("sender_service_id").s());
        assertEquals("2024-03-01T10:15:30.123Z", item.get("created_at").s());
        assertEquals("86400", item.get("time_to_live").n());
        assertEquals("ADVANCED", item.get("feature_level_type").s());
        assertEquals("ACCEPTED", item.get("status").s());
        assertEquals("2024-03-01T10:15:30.123Z", item.get("status_updated_at").s());
        assertFalse(item.containsKey("rejection_reason"));
        assertEquals(Json.write(message.content().toJson()), item.get("content").s());
    }

    @Test
    void itemRoundTrips() {
        Message message = message();
        assertEquals(message, DynamoMessageStore.fromItem(DynamoMessageStore.toItem(message)));
        Message rejected = TestMessages.withStatus(message, MessageStatus.REJECTED, RejectionReason.SERVICE_NOT_ALLOWED);
        Map<String, AttributeValue> item = DynamoMessageStore.toItem(rejected);
        assertEquals("SERVICE_NOT_ALLOWED", item.get("rejection_reason").s());
        assertEquals(rejected, DynamoMessageStore.fromItem(item));
    }

    @Test
    void readsWhatOtherFunctionsWriteOnTheItem() {
        Message message = message();
        Map<String, AttributeValue> item = new java.util.HashMap<>(DynamoMessageStore.toItem(message));
        Message plain = DynamoMessageStore.fromItem(item);
        assertEquals(null, plain.notificationWebhook());
        assertEquals(null, plain.readAt());
        assertEquals(null, plain.paidAt());

        item.put("notification_webhook", AttributeValue.fromS("THROTTLED"));
        item.put("notification_updated_at", AttributeValue.fromS("2024-03-01T10:16:00.000Z"));
        item.put("read_at", AttributeValue.fromS("2024-03-02T08:00:00.000Z"));
        item.put("paid_at", AttributeValue.fromS("2024-03-03T09:30:00.500Z"));
        Message tracked = DynamoMessageStore.fromItem(item);
        assertEquals(NotificationChannelStatus.THROTTLED, tracked.notificationWebhook());
        assertEquals(Instant.parse("2024-03-01T10:16:00.000Z"), tracked.notificationUpdatedAt());
        assertEquals(Instant.parse("2024-03-02T08:00:00.000Z"), tracked.readAt());
        assertEquals(Instant.parse("2024-03-03T09:30:00.500Z"), tracked.paidAt());
        assertEquals(message.withNotification(NotificationChannelStatus.THROTTLED, Instant.parse("2024-03-01T10:16:00.000Z"))
                .withReadAt(Instant.parse("2024-03-02T08:00:00.000Z"))
                .withPaidAt(Instant.parse("2024-03-03T09:30:00.500Z")), tracked);

        item.put("notification_webhook", AttributeValue.fromS("SOMETHING_NEW"));
        assertEquals(null, DynamoMessageStore.fromItem(item).notificationWebhook(), "an unknown status is left out");
    }

    @Test
    void submissionNeverWritesTheAttributesOthersOwn() {
        Message tracked = message().withNotification(NotificationChannelStatus.SENT, TestMessages.NOW)
                .withReadAt(TestMessages.NOW).withPaidAt(TestMessages.NOW);
        Map<String, AttributeValue> item = DynamoMessageStore.toItem(tracked);
        assertFalse(item.containsKey("notification_webhook"));
        assertFalse(item.containsKey("read_at"));
        assertFalse(item.containsKey("paid_at"));
    }
}
