package dev.ioserverless.messages;

import dev.ioserverless.common.Failures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The message-created queue ({@code MESSAGE_CREATED_QUEUE_URL}); bodies are
 * {@link MessageCreated#toJson}. Several notices go out with SendMessageBatch, ten at a time
 * (SQS's maximum per call), each entry identified by its message id.
 */
public final class SqsMessageCreatedQueue implements MessageCreatedQueue {
    static final int MAX_BATCH_ENTRIES = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMessageCreatedQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(MessageCreated notice) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(notice.toJson()));
    }

    @Override
    public Map<String, String> sendAll(List<MessageCreated> notices) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (int from = 0; from < notices.size(); from += MAX_BATCH_ENTRIES) {
            List<MessageCreated> chunk = notices.subList(from, Math.min(notices.size(), from + MAX_BATCH_ENTRIES));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (MessageCreated notice : chunk) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(notice.messageId())
                        .messageBody(notice.toJson())
                        .build());
            }
            try {
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                for (BatchResultErrorEntry error : response.failed()) {
                    failed.put(error.id(), "SQS " + error.code() + (Boolean.TRUE.equals(error.senderFault()) ? " (sender fault)" : ""));
                }
            } catch (RuntimeException e) {
                String reason = Failures.describe(e);
                for (MessageCreated notice : chunk) {
                    failed.put(notice.messageId(), reason);
                }
            }
        }
        return failed;
    }
}
