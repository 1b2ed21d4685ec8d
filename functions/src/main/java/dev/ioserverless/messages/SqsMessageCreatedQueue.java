package dev.ioserverless.messages;

import software.amazon.awssdk.services.sqs.SqsClient;

/** The message-created queue ({@code MESSAGE_CREATED_QUEUE_URL}); bodies are {@link MessageCreated#toJson}. */
public final class SqsMessageCreatedQueue implements MessageCreatedQueue {
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
}
