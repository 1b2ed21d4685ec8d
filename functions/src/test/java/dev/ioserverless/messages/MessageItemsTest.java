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
}
