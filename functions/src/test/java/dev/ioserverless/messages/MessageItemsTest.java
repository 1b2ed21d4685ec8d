package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB item form of messages: a content item written once, a small status item. */
class MessageItemsTest {

    static Message message() {
        return Message.accepted(Ulid.of(TestMessages.NOW.toEpochMilli()), "RSSMRA80A01H501U", "svc", TestMessages.NOW,
                86_400, FeatureLevelType.ADVANCED,
                new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, Instant.parse("2024-04-30T23:59:59.999Z"),
                        new PaymentData(18_250, "302000100000009424", true, "01199250158"), false));
    }

    @Test
    void theContentItemHoldsOnlyWhatNeverChanges() {
        Message message = message();
        Map<String, AttributeValue> item = DynamoMessageStore.contentItem(message);
        assertEquals(Set.of("id", "fiscal_code", "sender_service_id", "created_at", "content"), item.keySet());
        assertEquals(message.id(), item.get("id").s());
        assertEquals("RSSMRA80A01H501U", item.get("fiscal_code").s());
        assertEquals("2024-03-01T10:15:30.123Z", item.get("created_at").s());
        assertEquals(Json.write(message.content().toJson()), item.get("content").s());
    }

    @Test
    void theStatusItemHoldsTheMetadataTheListSummaryAndTheStatusButNoContent() {
        Message message = message();
        Map<String, AttributeValue> item = DynamoMessageStore.statusItem(message);
        assertEquals(message.id(), item.get("id").s());
        assertEquals("RSSMRA80A01H501U", item.get("fiscal_code").s());
        assertEquals("svc", item.get("sender_service_id").s());
        assertEquals("2024-03-01T10:15:30.123Z", item.get("created_at").s());
        assertEquals("86400", item.get("time_to_live").n());
        assertEquals("ADVANCED", item.get("feature_level_type").s());
        assertEquals("ACCEPTED", item.get("status").s());
        assertEquals("2024-03-01T10:15:30.123Z", item.get("status_updated_at").s());
        assertFalse(item.containsKey("rejection_reason"));
        assertEquals(TestMessages.SUBJECT, item.get("message_title").s());
        assertEquals("PAYMENT", item.get("category").s());
        assertEquals("01199250158302000100000009424", item.get("rpt_id").s(), "payee fiscal code then notice number");
        assertEquals(false, item.get("has_attachments").bool());
        assertEquals("2024-04-30T23:59:59.999Z", item.get("due_date").s());
        assertFalse(item.containsKey("content"), "the content is never rewritten with the status");
        assertFalse(item.containsKey(DynamoMessageStore.INBOX_OWNER), "not in the inbox before it is PROCESSED");
        assertFalse(item.containsKey(DynamoMessageStore.INBOX_FOLDER));
    }

    /** An ADVANCED payment message with a due date enters the reminders index, due when its first reminder is. */
    @Test
    void anAdvancedPaymentMessageWithADueDateIsInTheRemindersIndexFromItsCreation() {
        Message message = message();
        Map<String, AttributeValue> item = DynamoMessageStore.statusItem(message);
        // Due 30 April 23:59:59.999 UTC, 1 May in Rome: the first reminder is 13 days before, 18 April at 08:00 Rome.
        assertEquals("2024-04-18T06:00:00.000Z", item.get(DynamoMessageStore.NEXT_REMINDER_AT).s());
        int shard = Integer.parseInt(item.get(DynamoMessageStore.REMINDER_SHARD).s());
        assertEquals(true, shard >= 0 && shard < 16, "shard " + shard);
        assertFalse(item.containsKey(DynamoMessageStore.REMINDERS), "no reminder used yet");

        Message standard = new Message(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), FeatureLevelType.STANDARD, message.content(), MessageStatus.ACCEPTED, null,
                message.createdAt());
        assertFalse(DynamoMessageStore.statusItem(standard).containsKey(DynamoMessageStore.NEXT_REMINDER_AT),
                "a STANDARD message has no reminders");
        Message noDueDate = new Message(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), FeatureLevelType.ADVANCED, new MessageContent(TestMessages.SUBJECT,
                TestMessages.MARKDOWN, null, message.content().paymentData(), false), MessageStatus.ACCEPTED, null,
                message.createdAt());
        assertFalse(DynamoMessageStore.statusItem(noDueDate).containsKey(DynamoMessageStore.REMINDER_SHARD));
        Message pastDue = new Message(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), FeatureLevelType.ADVANCED, new MessageContent(TestMessages.SUBJECT,
                TestMessages.MARKDOWN, Instant.parse("2024-03-01T12:00:00Z"), message.content().paymentData(), false),
                MessageStatus.ACCEPTED, null, message.createdAt());
        assertFalse(DynamoMessageStore.statusItem(pastDue).containsKey(DynamoMessageStore.NEXT_REMINDER_AT),
                "due today: no reminder can be due any more");
    }

    @Test
    void aMessageWithoutPaymentIsGeneric() {
        Message plain = TestMessages.accepted("RSSMRA80A01H501U", "svc");
        Map<String, AttributeValue> item = DynamoMessageStore.statusItem(plain);
        assertEquals("GENERIC", item.get("category").s());
        assertFalse(item.containsKey("rpt_id"));
        assertFalse(item.containsKey("due_date"));
    }

    @Test
    void itemsRoundTrip() {
        Message message = message();
        assertEquals(message, DynamoMessageStore.fromItems(
                DynamoMessageStore.contentItem(message), DynamoMessageStore.statusItem(message)));
        Message rejected = TestMessages.withStatus(message, MessageStatus.REJECTED, RejectionReason.SERVICE_NOT_ALLOWED);
        Map<String, AttributeValue> status = DynamoMessageStore.statusItem(rejected);
        assertEquals("SERVICE_NOT_ALLOWED", status.get("rejection_reason").s());
        assertEquals(rejected, DynamoMessageStore.fromItems(DynamoMessageStore.contentItem(rejected), status));
    }

    @Test
    void itemsThatDisagreeOnTheRecipientAreRefused() {
        Message message = message();
        Map<String, AttributeValue> status = new HashMap<>(DynamoMessageStore.statusItem(message));
        status.put("fiscal_code", AttributeValue.fromS("VRDGPP80A01H501X"));
        assertThrows(IllegalStateException.class,
                () -> DynamoMessageStore.fromItems(DynamoMessageStore.contentItem(message), status));
    }

    @Test
    void readsWhatOtherFunctionsWriteOnTheStatusItem() {
        Message message = message();
        Map<String, AttributeValue> content = DynamoMessageStore.contentItem(message);
        Map<String, AttributeValue> item = new HashMap<>(DynamoMessageStore.statusItem(message));
        Message plain = DynamoMessageStore.fromItems(content, item);
        assertEquals(null, plain.notificationWebhook());
        assertEquals(null, plain.readAt());
        assertEquals(null, plain.paidAt());
        assertFalse(plain.archived());

        item.put("notification_webhook", AttributeValue.fromS("THROTTLED"));
        item.put("notification_updated_at", AttributeValue.fromS("2024-03-01T10:16:00.000Z"));
        item.put("read_at", AttributeValue.fromS("2024-03-02T08:00:00.000Z"));
        item.put("paid_at", AttributeValue.fromS("2024-03-03T09:30:00.500Z"));
        item.put("receipt_id", AttributeValue.fromS("receipt-1"));
        item.put("is_archived", AttributeValue.fromBool(true));
        Message tracked = DynamoMessageStore.fromItems(content, item);
        assertEquals(message.withNotification(NotificationChannelStatus.THROTTLED, Instant.parse("2024-03-01T10:16:00.000Z"))
                .withReadAt(Instant.parse("2024-03-02T08:00:00.000Z"))
                .withPaid(Instant.parse("2024-03-03T09:30:00.500Z"), "receipt-1")
                .withArchived(true), tracked);

        item.put("notification_webhook", AttributeValue.fromS("SOMETHING_NEW"));
        assertEquals(null, DynamoMessageStore.fromItems(content, item).notificationWebhook(), "an unknown status is left out");
    }

    @Test
    void submissionNeverWritesTheAttributesOthersOwn() {
        Message tracked = message().withNotification(NotificationChannelStatus.SENT, TestMessages.NOW)
                .withReadAt(TestMessages.NOW).withPaid(TestMessages.NOW, "receipt-1").withArchived(true);
        Map<String, AttributeValue> item = DynamoMessageStore.statusItem(tracked);
        for (String owned : new String[] {"notification_webhook", "notification_updated_at", "read_at", "paid_at",
                "receipt_id", "is_archived", "inbox", "folder"}) {
            assertFalse(item.containsKey(owned), owned);
        }
    }

    @Test
    void theFolderKeySeparatesTheInboxFromTheArchive() {
        assertEquals("INBOX#01HRZ8Y3M6X3W8Q6J7K9ZVB1QS", DynamoMessageStore.folderOf("01HRZ8Y3M6X3W8Q6J7K9ZVB1QS", false));
        assertEquals("ARCHIVE#01HRZ8Y3M6X3W8Q6J7K9ZVB1QS", DynamoMessageStore.folderOf("01HRZ8Y3M6X3W8Q6J7K9ZVB1QS", true));
    }
}
