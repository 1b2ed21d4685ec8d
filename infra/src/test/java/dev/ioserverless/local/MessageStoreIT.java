package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.inbox.DynamoInboxStore;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.messages.StatusChange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The message as two items on DynamoDB Local: written in order, read whole, completed when half written. */
class MessageStoreIT {

    private static Message message(String id, String citizen, Instant at, String subject) {
        return Message.accepted(id, citizen, "it-store", at, 3600, FeatureLevelType.STANDARD,
                MessageContent.parse(Json.read("{\"subject\":\"" + subject + "\",\"markdown\":\"" + TestData.MARKDOWN + "\"}")));
    }

    private static void deleteStatusItem(String id) {
        LocalPlatform platform = TestPlatform.get();
        platform.dynamoDb().deleteItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                .key(Map.of("id", AttributeValue.fromS(id))));
    }

    @Test
    void aMessageWhoseStatusItemWasNotWrittenDoesNotExistUntilItsCreationIsRetried() {
        DynamoMessageStore store = TestData.messages();
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = Ulid.of(first.toEpochMilli());
        String citizen = TestData.citizen();
        Message message = message(id, citizen, first, TestData.SUBJECT);
        store.create(message);
        assertEquals(message, store.find(id).orElseThrow());

        deleteStatusItem(id);   // as if the function stopped between its two writes
        assertTrue(store.find(id).isEmpty(), "half a message is no message");
        assertEquals(StatusChange.NOT_FOUND, store.transition(id, MessageStatus.PROCESSED, null, first));

        Message retried = message(id, citizen, first.plusSeconds(5), TestData.SUBJECT);
        store.create(retried);
        Message completed = store.find(id).orElseThrow();
        assertEquals(first, completed.createdAt(), "the content item keeps its creation time");
        assertEquals(message.content(), completed.content());
        assertEquals(MessageStatus.ACCEPTED, completed.status());

        // Both items exist: creating the same message again (a retry whose answer was lost) changes nothing.
        store.create(retried);
        assertEquals(completed, store.find(id).orElseThrow());
        assertThrows(IllegalStateException.class,
                () -> store.create(message(id, citizen, first, "Un altro oggetto del messaggio")),
                "another message with the same id never overwrites the content");
        assertEquals(message.content(), store.find(id).orElseThrow().content());
    }

    @Test
    void theHeaderIsTheStatusItemAloneAndMatchesTheWholeMessage() {
        DynamoMessageStore store = TestData.messages();
        String citizen = TestData.citizen();
        Message message = message(Ulid.next(), citizen, Instant.now().truncatedTo(ChronoUnit.MILLIS), TestData.SUBJECT);
        store.create(message);
        assertEquals(dev.ioserverless.messages.MessageHeader.of(store.find(message.id()).orElseThrow()),
                store.findHeader(message.id()).orElseThrow());
        assertTrue(store.findHeader(Ulid.next()).isEmpty());
    }

    @Test
    void processingPutsTheMessageInTheInboxIndexAndNoOtherStatusDoes() {
        DynamoMessageStore store = TestData.messages();
        LocalPlatform platform = TestPlatform.get();
        DynamoInboxStore inbox = new DynamoInboxStore(platform.dynamoDb(), platform.physicalName("MessageStatusTable"));
        String citizen = TestData.citizen();
        Message processed = message(Ulid.next(), citizen, Instant.now().truncatedTo(ChronoUnit.MILLIS), TestData.SUBJECT);
        Message failed = message(Ulid.next(), citizen, Instant.now().truncatedTo(ChronoUnit.MILLIS), TestData.SUBJECT);
        store.create(processed);
        store.create(failed);
        assertEquals(List.of(), inbox.page(citizen, false, null, null, 10).items(), "ACCEPTED is not in the inbox");

        assertEquals(StatusChange.APPLIED, store.transition(failed.id(), MessageStatus.FAILED, null, Instant.now()));
        assertEquals(StatusChange.APPLIED, store.transition(processed.id(), MessageStatus.PROCESSED, null, Instant.now()));
        var items = inbox.page(citizen, false, null, null, 10).items();
        assertEquals(List.of(processed.id()), items.stream().map(e -> e.id()).toList());
        assertEquals(TestData.SUBJECT, items.get(0).messageTitle());
        assertFalse(items.get(0).isRead());
        assertEquals(List.of(), inbox.page(citizen, true, null, null, 10).items());
    }

    @Test
    void announcingIsRecordedOnceAndOnlyOnAProcessedMessage() {
        DynamoMessageStore store = TestData.messages();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Message message = message(Ulid.next(), TestData.citizen(), at, TestData.SUBJECT);
        store.create(message);

        store.markAnnounced(message.id(), at);
        assertFalse(store.findHeader(message.id()).orElseThrow().announced(), "an ACCEPTED message is not announced");
        assertFalse(store.awaitsAnnouncement(message.id()), "nor does it await an announcement");

        assertEquals(StatusChange.APPLIED, store.transition(message.id(), MessageStatus.PROCESSED, null, at));
        assertFalse(store.findHeader(message.id()).orElseThrow().announced());
        assertTrue(store.awaitsAnnouncement(message.id()));
        store.markAnnounced(message.id(), at.plusSeconds(1));
        assertFalse(store.awaitsAnnouncement(message.id()));
        store.markAnnounced(message.id(), at.plusSeconds(2));
        assertEquals(at.plusSeconds(1), store.findHeader(message.id()).orElseThrow().announcedAt(), "the first record stands");

        String absent = Ulid.next();
        store.markAnnounced(absent, at);
        assertTrue(store.findHeader(absent).isEmpty(), "no such message: nothing created");
        assertFalse(store.awaitsAnnouncement(absent));
    }
}
