package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Ulid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/** SendMessageBatch ten at a time, with per-entry and per-call failures reported by message id. */
class SqsMessageCreatedQueueTest {

    /** An SQS client that records batches; it fails the entries and calls it is told to. */
    static final class ScriptedSqs implements SqsClient {
        final List<SendMessageBatchRequest> batches = new ArrayList<>();
        String failEntryId;
        int failCall = -1;

        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            batches.add(request);
            if (batches.size() - 1 == failCall) {
                throw SdkClientException.create("connection reset");
            }
            List<SendMessageBatchResultEntry> ok = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (SendMessageBatchRequestEntry entry : request.entries()) {
                if (entry.id().equals(failEntryId)) {
                    failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError").senderFault(false).build());
                } else {
                    ok.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId("sqs-" + entry.id()).build());
                }
            }
            return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {
        }
    }

    static List<MessageCreated> notices(int count) {
        return IntStream.range(0, count).mapToObj(i -> new MessageCreated(Ulid.next())).toList();
    }

    @Test
    void sendsTenPerCallWithTheMessageIdAsEntryId() {
        ScriptedSqs sqs = new ScriptedSqs();
        List<MessageCreated> notices = notices(25);
        Map<String, String> failed = new SqsMessageCreatedQueue(sqs, "https://queue").sendAll(notices);
        assertTrue(failed.isEmpty());
        assertEquals(List.of(10, 10, 5), sqs.batches.stream().map(b -> b.entries().size()).toList());
        SendMessageBatchRequestEntry first = sqs.batches.get(0).entries().get(0);
        assertEquals(notices.get(0).messageId(), first.id());
        assertEquals(notices.get(0).toJson(), first.messageBody());
        assertEquals("https://queue", sqs.batches.get(2).queueUrl());
        assertEquals(notices.get(24).messageId(), sqs.batches.get(2).entries().get(4).id());
    }

    @Test
    void reportsTheEntriesSqsRefusedAndEveryEntryOfAFailedCall() {
        ScriptedSqs sqs = new ScriptedSqs();
        List<MessageCreated> notices = notices(21);
        sqs.failEntryId = notices.get(3).messageId();
        sqs.failCall = 1;
        Map<String, String> failed = new SqsMessageCreatedQueue(sqs, "https://queue").sendAll(notices);
        assertEquals(11, failed.size(), "one refused entry and the ten of the failed call");
        assertEquals("SQS InternalError", failed.get(notices.get(3).messageId()));
        for (int i = 10; i < 20; i++) {
            assertTrue(failed.get(notices.get(i).messageId()).startsWith("software.amazon.awssdk.core.exception.SdkClientException"));
        }
        assertEquals(3, sqs.batches.size(), "a failed call does not stop the next ones");
    }
}
