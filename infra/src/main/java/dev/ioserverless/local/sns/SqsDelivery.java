package dev.ioserverless.local.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends notifications to subscribed SQS queues, as SNS does: the raw message with its attributes
 * as SQS message attributes when RawMessageDelivery is on, otherwise the JSON notification envelope.
 * A failed send (the queue is gone, say) is retried a few times with a short backoff. Then, when the
 * subscription has a RedrivePolicy, the same SQS message (body and attributes, exactly as the
 * endpoint would have received it) goes to its {@code deadLetterTargetArn}, as SNS moves an
 * undeliverable message to a subscription's dead-letter queue; without one, or when that fails too,
 * it is logged (never with message content) and dropped. It never affects delivery to other
 * subscriptions.
 */
final class SqsDelivery {

    private static final int ATTEMPTS = 3;
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Local notifications are not signed; the field is present so envelope parsers find it. */
    private static final String SIGNATURE =
            Base64.getEncoder().encodeToString("local-sns-emulator-unsigned".getBytes(StandardCharsets.UTF_8));

    private final SqsClient sqs;
    private final Supplier<URI> endpoint;
    /** Queue ARN to queue URL. */
    private final ConcurrentMap<String, String> queueUrls = new ConcurrentHashMap<>();

    SqsDelivery(SqsClient sqs, Supplier<URI> endpoint) {
        this.sqs = sqs;
        this.endpoint = endpoint;
    }

    void deliver(Subscription subscription, Notification notification) {
        SendMessageRequest.Builder request = SendMessageRequest.builder();
        if (subscription.rawMessageDelivery()) {
            request.messageBody(notification.message());
            if (!notification.attributes().isEmpty()) {
                request.messageAttributes(sqsAttributes(notification.attributes()));
            }
        } else {
            request.messageBody(envelope(subscription, notification));
        }
        if (subscription.queueName().endsWith(".fifo")) {
            request.messageGroupId(notification.messageGroupId())
                    .messageDeduplicationId(notification.deduplicationId());
        }

        Failure failure = send(subscription.endpoint(), request);
        if (failure == null) {
            return;
        }
        logFailure("sqs_delivery_failed", subscription, subscription.endpoint(), notification, failure);
        String deadLetters = subscription.deadLetterTargetArn();
        if (deadLetters == null) {
            return;
        }
        Failure deadLetterFailure = send(deadLetters, request);
        if (deadLetterFailure == null) {
            SnsEmulator.LOG.info("sqs_delivery_dead_lettered",
                    "sns_message_id", notification.messageId(),
                    "subscription_arn", subscription.arn(),
                    "dead_letter_queue_arn", deadLetters);
        } else {
            logFailure("sqs_dead_letter_failed", subscription, deadLetters, notification, deadLetterFailure);
        }
    }

    private record Failure(int attempts, RuntimeException error) {
    }

    /** Sends to the queue with a few retries; null once sent, else how it failed. */
    private Failure send(String queueArn, SendMessageRequest.Builder request) {
        RuntimeException failure = null;
        int attempt = 0;
        while (attempt < ATTEMPTS) {
            attempt++;
            try {
                sqs.sendMessage(request.queueUrl(queueUrl(queueArn)).build());
                return null;
            } catch (RuntimeException e) {
                failure = e;
                queueUrls.remove(queueArn); // the queue may have been recreated
                if (attempt < ATTEMPTS && !sleep(FIRST_BACKOFF_MILLIS << (attempt - 1))) {
                    break;
                }
            }
        }
        return new Failure(attempt, failure);
    }

    private String queueUrl(String queueArn) {
        String url = queueUrls.get(queueArn);
        if (url == null) {
            String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
            url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            queueUrls.put(queueArn, url);
        }
        return url;
    }

    /** The SNS notification envelope that non-raw SQS subscriptions receive. */
    String envelope(Subscription subscription, Notification n) {
        String base = endpoint.get().toString();
        ObjectNode json = JSON.createObjectNode();
        json.put("Type", "Notification");
        json.put("MessageId", n.messageId());
        if (n.sequenceNumber() != null) {
            json.put("SequenceNumber", n.sequenceNumber());
        }
        json.put("TopicArn", n.topic().arn());
        if (n.subject() != null) {
            json.put("Subject", n.subject());
        }
        json.put("Message", n.message());
        json.put("Timestamp", TIMESTAMP.format(n.timestamp()));
        json.put("SignatureVersion", "1");
        json.put("Signature", SIGNATURE);
        json.put("SigningCertURL", base + "/SimpleNotificationService-local.pem");
        json.put("UnsubscribeURL", base + "/?Action=Unsubscribe&SubscriptionArn=" + subscription.arn());
        if (!n.attributes().isEmpty()) {
            ObjectNode attributes = json.putObject("MessageAttributes");
            n.attributes().forEach((name, a) ->
                    attributes.putObject(name).put("Type", a.dataType()).put("Value", a.displayValue()));
        }
        return json.toString();
    }

    private static Map<String, MessageAttributeValue> sqsAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        attributes.forEach((name, a) -> {
            MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(a.dataType());
            if (a.isBinary()) {
                value.binaryValue(SdkBytes.fromByteArray(a.binaryValue()));
            } else {
                value.stringValue(a.stringValue());
            }
            out.put(name, value.build());
        });
        return out;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One log line: identifiers and the error code only, never message content. */
    private static void logFailure(String event, Subscription subscription, String queueArn, Notification notification,
                                   Failure failure) {
        RuntimeException e = failure.error();
        String error = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null
                ? aws.awsErrorDetails().errorCode()
                : e.getClass().getSimpleName();
        SnsEmulator.LOG.warn(event,
                "sns_message_id", notification.messageId(),
                "subscription_arn", subscription.arn(),
                "queue_arn", queueArn,
                "attempts", failure.attempts(),
                "error", error);
    }
}
