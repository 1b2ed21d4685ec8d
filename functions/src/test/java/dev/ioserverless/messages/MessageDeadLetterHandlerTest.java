package dev.ioserverless.messages;

import dev.ioserverless.common.ExpectedErrors;
import static dev.ioserverless.messages.ProcessMessageHandlerTest.event;
import static dev.ioserverless.messages.ProcessMessageHandlerTest.failedIds;
import static dev.ioserverless.messages.ProcessMessageHandlerTest.notice;
import static dev.ioserverless.messages.ProcessMessageHandlerTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.TestServices;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageDeadLetterHandlerTest {
    static final String CF = "RSSMRA80A01H501U";

    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final List<String> archived = new java.util.ArrayList<>();
    final MessageDeadLetterHandler handler =
            new MessageDeadLetterHandler(messages, archived::add, TestMessages.CLOCK, TestMessages.log());

    Message stored(MessageStatus status, RejectionReason reason) {
        Message message = TestMessages.withStatus(
                Message.accepted(Ulid.next(), CF, TestServices.SERVICE_ID, Instant.parse("2024-03-01T09:00:00Z"), 3600,
                        FeatureLevelType.STANDARD,
                        new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null, null, null)),
                status, reason);
        messages.put(message);
        return message;
    }

    MessageStatus status(Message message) {
        return messages.get(message.id()).orElseThrow().status();
    }

    @Test
    void acceptedMessageIsMarkedFailed() {
        Message message = stored(MessageStatus.ACCEPTED, null);
        assertEquals(List.of(), failedIds(handler.handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(MessageStatus.FAILED, status(message));
        assertEquals(TestMessages.NOW, messages.get(message.id()).orElseThrow().statusUpdatedAt());
    }

    @Test
    void finalMessagesKeepTheirStatus() {
        Message processed = stored(MessageStatus.PROCESSED, null);
        messages.markAnnounced(processed.id(), TestMessages.NOW);
        Message rejected = stored(MessageStatus.REJECTED, RejectionReason.USER_NOT_FOUND);
        assertEquals(List.of(), failedIds(handler.handleRequest(
                event(notice("sqs-1", processed.id()), notice("sqs-2", rejected.id())), null)));
        assertEquals(MessageStatus.PROCESSED, status(processed));
        assertEquals(MessageStatus.REJECTED, status(rejected));
        assertEquals(Optional.of(RejectionReason.USER_NOT_FOUND),
                messages.get(rejected.id()).map(Message::rejectionReason));
    }

    /**
     * A PROCESSED message whose MessageProcessed event was never published: acknowledging it
     * without a copy would lose its push for good, so it is kept in the archive (an error in the
     * log), for an operator to redrive it through processing, which announces it.
     */
    @ExpectedErrors("dead_letter_unannounced")
    @Test
    void aProcessedMessageNotYetAnnouncedIsKeptForAnOperator() {
        Message message = stored(MessageStatus.PROCESSED, null);
        assertEquals(List.of(), failedIds(handler.handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(MessageStatus.PROCESSED, status(message));
        assertEquals(List.of(new MessageCreated(message.id()).toJson()), archived);
    }

    @Test
    void repeatedDeadLetterIsANoOp() {
        Message message = stored(MessageStatus.ACCEPTED, null);
        handler.handleRequest(event(notice("sqs-1", message.id())), null);
        assertEquals(List.of(), failedIds(handler.handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(MessageStatus.FAILED, status(message));
    }

    @Test
    void unknownAndMalformedRecordsAreAcknowledged() {
        assertEquals(List.of(), failedIds(handler.handleRequest(event(
                notice("sqs-unknown", Ulid.next()),
                record("sqs-malformed", "not json"),
                record("sqs-empty", null)), null)));
    }

    @ExpectedErrors("dead_letter_failed")
    @Test
    void storeErrorsFailOnlyTheirRecords() {
        Message message = stored(MessageStatus.ACCEPTED, null);
        MessageStatusTransitions flaky = new MessageStatusTransitions() {
            @Override
            public StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at) {
                if (id.equals(message.id())) {
                    throw new IllegalStateException("throttled");
                }
                return messages.transition(id, target, reason, at);
            }

            @Override
            public boolean awaitsAnnouncement(String id) {
                return messages.awaitsAnnouncement(id);
            }
        };
        Message other = stored(MessageStatus.ACCEPTED, null);
        MessageDeadLetterHandler flakyHandler = new MessageDeadLetterHandler(flaky, archived::add, TestMessages.CLOCK,
                TestMessages.log());
        assertEquals(List.of("sqs-1"), failedIds(flakyHandler.handleRequest(
                event(notice("sqs-1", message.id()), notice("sqs-2", other.id()), record("sqs-3", "x")), null)));
        assertEquals(MessageStatus.FAILED, status(other));
        assertEquals(MessageStatus.ACCEPTED, status(message));
    }

    @ExpectedErrors("dead_letter_unannounced")
    @Test
    void everyDeadLetterIsKeptInTheArchiveForARedriveAfterItsStatusIsRecorded() {
        Message accepted = stored(MessageStatus.ACCEPTED, null);
        Message processed = stored(MessageStatus.PROCESSED, null);
        String acceptedBody = new MessageCreated(accepted.id()).toJson();
        assertEquals(List.of(), failedIds(handler.handleRequest(event(notice("sqs-1", accepted.id()),
                notice("sqs-2", processed.id()), record("sqs-3", "not a notice")), null)));
        assertEquals(MessageStatus.FAILED, status(accepted));
        assertEquals(List.of(acceptedBody, new MessageCreated(processed.id()).toJson(), "not a notice"), archived,
                "nothing is deleted without a copy an operator can redrive");
    }

    @ExpectedErrors("dead_letter_not_archived")
    @Test
    void aDeadLetterTheArchiveRefusesIsRetried() {
        Message accepted = stored(MessageStatus.ACCEPTED, null);
        MessageDeadLetterHandler noArchive = new MessageDeadLetterHandler(messages, body -> {
            throw new IllegalStateException("archive down");
        }, TestMessages.CLOCK, TestMessages.log());
        assertEquals(List.of("sqs-1"), failedIds(noArchive.handleRequest(event(notice("sqs-1", accepted.id())), null)));
        assertEquals(MessageStatus.FAILED, status(accepted), "recorded; the retry keeps it then");
    }
}
