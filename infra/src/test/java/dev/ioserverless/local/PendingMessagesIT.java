package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.DynamoPendingMessages;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outbox of submission and its sweeper, against the real tables and queue: a message stored
 * and never queued (the function stopped between the write and the SendMessage) is queued by the
 * sweeper and reaches the inbox once; a settled message's item is gone.
 */
class PendingMessagesIT {
    static final String SWEEPER = "SweepPendingMessagesFunction";

    static DynamoPendingMessages pending() {
        LocalPlatform platform = TestPlatform.get();
        return new DynamoPendingMessages(platform.dynamoDb(), platform.physicalName("PendingMessagesTable"));
    }

    static DynamoMessageStore submissionStore() {
        LocalPlatform platform = TestPlatform.get();
        return new DynamoMessageStore(platform.dynamoDb(), platform.physicalName("MessagesTable"),
                platform.physicalName("MessageStatusTable"), pending());
    }

    static boolean held(String messageId) {
        LocalPlatform platform = TestPlatform.get();
        return !platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("PendingMessagesTable"))
                .key(Map.of("shard", dev.ioserverless.common.DynamoAttributes.s(DynamoPendingMessages.shardOf(messageId)),
                        "id", dev.ioserverless.common.DynamoAttributes.s(messageId)))
                .consistentRead(true)).item().isEmpty();
    }

    static JsonNode sweepAt(Instant now) {
        HttpResponse<String> run = TestPlatform.send(HttpRequest.newBuilder(
                TestPlatform.url("/_local/schedules/" + SWEEPER + "/run?now=" + now)).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, run.statusCode(), run.body());
        return Json.read(run.body()).path("result");
    }

    @Test
    void aMessageStoredButNeverQueuedIsQueuedByTheSweeperAndReachesTheInboxOnce() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        Instant created = TestPlatform.clock().now();
        Message message = Message.accepted(Ulid.of(created.toEpochMilli()), citizen, service.id(), created, 3600,
                FeatureLevelType.STANDARD, new MessageContent(TestData.SUBJECT, TestData.MARKDOWN, null, null, null));
        // What submission writes before its SendMessage; the function stops there.
        submissionStore().create(message);
        assertTrue(held(message.id()));
        assertEquals(MessageStatus.ACCEPTED, TestData.messages().findHeader(message.id()).orElseThrow().status());

        JsonNode early = sweepAt(created.plusSeconds(30));
        assertEquals(0, early.path("requeued").asInt(), "not due yet: " + early);

        JsonNode run = sweepAt(created.plus(DynamoPendingMessages.FIRST_LOOK).plusSeconds(1));
        assertTrue(run.path("requeued").asInt() >= 1, run.toString());
        TestPlatform.await(() -> TestData.messages().findHeader(message.id()).orElseThrow().status() == MessageStatus.PROCESSED,
                Duration.ofSeconds(15), "processed after the sweep");
        TestPlatform.await(() -> !held(message.id()), Duration.ofSeconds(15), "settled out of the outbox");
        assertEquals(1, TestData.messagesFor(citizen), "in the inbox once");

        JsonNode later = sweepAt(created.plus(Duration.ofMinutes(30)));
        assertFalse(held(message.id()));
        assertEquals(0, later.path("failed").asInt(), later.toString());
    }

    @Test
    void aSubmittedMessageLeavesTheOutboxOnceProcessed() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        HttpResponse<String> created = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen, TestData.newMessage());
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        TestPlatform.await(() -> !held(id), Duration.ofSeconds(15), "settled out of the outbox");
        assertEquals(MessageStatus.PROCESSED, TestData.messages().findHeader(id).orElseThrow().status());
    }

    @Test
    void anItemWhoseMessageWasNeverWrittenIsDroppedOnceAbandoned() {
        Instant now = TestPlatform.clock().now();
        String id = Ulid.of(now.toEpochMilli());
        pending().hold(id, now);   // the submission stopped after holding it, before writing the message
        JsonNode waiting = sweepAt(now.plus(DynamoPendingMessages.FIRST_LOOK).plusSeconds(1));
        assertTrue(held(id), "still waiting: " + waiting);
        sweepAt(now.plus(dev.ioserverless.messages.PendingMessagesSweep.ABANDONED_AFTER).plusSeconds(61));
        assertFalse(held(id), "abandoned");
    }
}
