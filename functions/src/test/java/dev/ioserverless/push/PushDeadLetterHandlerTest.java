package dev.ioserverless.push;

import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushDeadLetterHandlerTest {
    private static final String EVENT = "{\"event_type\":\"MessageProcessed\",\"message_id\":\"%s\","
            + "\"fiscal_code\":\"RSSMRA80A01H501U\",\"sender_service_id\":\"svc\",\"created_at\":\"2026-01-01T10:00:00.000Z\","
            + "\"time_to_live\":3600,\"feature_level_type\":\"STANDARD\",\"require_secure_channels\":false}";

    private final InMemoryNotificationStatusStore statuses = new InMemoryNotificationStatusStore();
    private final List<String> archived = new java.util.ArrayList<>();
    private final PushDeadLetterHandler handler = new PushDeadLetterHandler(statuses, archived::add,
            new MutableClock(Instant.parse("2026-01-01T10:05:00Z")), new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars"))));

    @Test
    void aDeadLetterMarksThePushChannelFailed() {
        statuses.addMessage("01HQZX3T5E8KJ4W2N6R9B7C1DM");
        SQSBatchResponse response = handler.handleRequest(event(String.format(EVENT, "01HQZX3T5E8KJ4W2N6R9B7C1DM")), null);
        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(NotificationStatus.FAILED, statuses.status("01HQZX3T5E8KJ4W2N6R9B7C1DM"));
        assertEquals(List.of(String.format(EVENT, "01HQZX3T5E8KJ4W2N6R9B7C1DM")), archived, "kept for a redrive");
    }

    @Test
    void aPushAlreadySentStaysSent() {
        statuses.addMessage("01HQZX3T5E8KJ4W2N6R9B7C1DM");
        statuses.record("01HQZX3T5E8KJ4W2N6R9B7C1DM", NotificationStatus.SENT, Instant.now());
        handler.handleRequest(event(String.format(EVENT, "01HQZX3T5E8KJ4W2N6R9B7C1DM")), null);
        assertEquals(NotificationStatus.SENT, statuses.status("01HQZX3T5E8KJ4W2N6R9B7C1DM"));
    }

    @ExpectedErrors("push_dead_letter_failed")
    @Test
    void malformedRecordsAreAcknowledgedAndStoreFailuresRetried() {
        NotificationStatusStore failing = (id, status, at) -> {
            throw new IllegalStateException("store down");
        };
        PushDeadLetterHandler broken = new PushDeadLetterHandler(failing, archived::add, java.time.Clock.systemUTC(),
                new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars"))));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record("a", "not json"), record("b", String.format(EVENT, "01HQZX3T5E8KJ4W2N6R9B7C1DM"))));
        SQSBatchResponse response = broken.handleRequest(event, null);
        assertEquals(List.of("b"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    private static SQSEvent event(String body) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record("m1", body)));
        return event;
    }

    private static SQSEvent.SQSMessage record(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        return message;
    }
}
