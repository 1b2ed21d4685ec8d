package dev.ioserverless.local.sns;

import java.time.Instant;
import java.util.Map;

/**
 * A validated, accepted message on its way to the topic's subscriptions. {@code message} is what SQS
 * subscribers receive (for MessageStructure=json, the "sqs" or "default" entry). The FIFO fields
 * ({@code messageGroupId}, {@code deduplicationId}, {@code sequenceNumber}) are null on standard
 * topics. {@code size} is what counts against the 256 KB limit.
 */
record Notification(String messageId, Topic topic, String message, String subject,
                    Map<String, MessageAttribute> attributes, String messageGroupId, String deduplicationId,
                    String sequenceNumber, Instant timestamp, int size) {
}
