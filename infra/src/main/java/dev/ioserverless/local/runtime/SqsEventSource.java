package dev.ioserverless.local.runtime;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.local.template.FunctionSpec.SqsTrigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * An SQS event source mapping, as Lambda runs it: pollers (several at once, as Lambda runs
 * concurrent batches) each gather up to BatchSize messages within the batching window, invoke
 * the function, and delete what succeeded. With
 * ReportBatchItemFailures only the reported records stay; a thrown error or a timeout keeps the
 * whole batch. What stays reappears after the queue's visibility timeout, and the queue's redrive
 * policy moves it to the dead-letter queue after maxReceiveCount receives.
 */
public final class SqsEventSource implements AutoCloseable {
    private static final Log LOG = Log.platform("sqs-event-source");
    private static final int MAX_PER_RECEIVE = 10;
    private static final long GRACE_MILLIS = 10_000;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final SqsTrigger trigger;
    private final LambdaFunction function;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running = true;

    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region, SqsTrigger trigger,
                          LambdaFunction function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.trigger = trigger;
        this.function = function;
        for (int i = 0; i < trigger.concurrency(); i++) {
            Thread poller = new Thread(this::run, "sqs-" + function.spec().logicalId() + "-" + trigger.eventId() + "-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
        }
    }

    public void start() {
        pollers.forEach(Thread::start);
    }

    private void run() {
        while (running) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("sqs_poll_failed", "function", function.spec().logicalId(), "trigger", trigger.eventId(),
                            "error", e.getMessage());
                    pause(1000);
                }
            }
        }
    }

    /** Up to BatchSize messages: the first receive long-polls; more are gathered within the window. */
    private List<Message> gather() {
        List<Message> batch = new ArrayList<>(receive(Math.min(trigger.batchSize(), MAX_PER_RECEIVE), 1));
        if (batch.isEmpty()) {
            return batch;
        }
        long deadline = System.currentTimeMillis() + trigger.batchingWindowSeconds() * 1000L;
        while (running && batch.size() < trigger.batchSize() && System.currentTimeMillis() < deadline) {
            List<Message> more = receive(Math.min(trigger.batchSize() - batch.size(), MAX_PER_RECEIVE), 0);
            if (more.isEmpty()) {
                pause(Math.min(200, Math.max(0, deadline - System.currentTimeMillis())));
            }
            batch.addAll(more);
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All"));
        return response.messages();
    }

    private void deliver(List<Message> batch) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : batch) {
            records.add(record(message));
        }
        event.setRecords(records);

        Set<String> failed = new HashSet<>();
        try {
            Object result = function.invoke(event, SQSBatchResponse.class);
            if (trigger.reportBatchItemFailures()) {
                failed = reportedFailures(result, batch);
            }
        } catch (LambdaFunction.InvocationFailure failure) {
            LOG.warn("sqs_batch_failed", "function", function.spec().logicalId(), "trigger", trigger.eventId(),
                    "batch_size", batch.size(), "error", failure.getMessage(), "outcome", "retried after the visibility timeout");
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Message message = batch.get(i);
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        for (int from = 0; from < done.size(); from += MAX_PER_RECEIVE) {
            List<DeleteMessageBatchRequestEntry> chunk = done.subList(from, Math.min(done.size(), from + MAX_PER_RECEIVE));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
    }

    /**
     * The message ids the function reported as failed. As Lambda does, a malformed report (an
     * empty or unknown identifier) fails the whole batch.
     */
    private static Set<String> reportedFailures(Object result, List<Message> batch) {
        Set<String> failed = new HashSet<>();
        if (!(result instanceof SQSBatchResponse response) || response.getBatchItemFailures() == null) {
            return failed;
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        for (SQSBatchResponse.BatchItemFailure item : response.getBatchItemFailures()) {
            String id = item.getItemIdentifier();
            if (id == null || !ids.contains(id)) {
                return ids;
            }
            failed.add(id);
        }
        return failed;
    }

    private SQSEvent.SQSMessage record(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(region);
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> messageAttributes.put(name, attribute(value)));
        record.setMessageAttributes(messageAttributes);
        return record;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        SdkBytes binary = value.binaryValue();
        if (binary != null) {
            attribute.setBinaryValue(binary.asByteBuffer());
        }
        return attribute;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling; a batch already handed to the function is left to finish. */
    public void stop() {
        running = false;
    }

    /**
     * Stops polling and waits for the batch in hand (the long poll returns within a second). A
     * function still running after the grace period is interrupted; its batch is not deleted, so
     * it is delivered again after the visibility timeout.
     */
    @Override
    public void close() {
        stop();
        try {
            long deadline = System.currentTimeMillis() + GRACE_MILLIS;
            for (Thread poller : pollers) {
                poller.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
            for (Thread poller : pollers) {
                if (poller.isAlive()) {
                    poller.interrupt();
                    poller.join(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
