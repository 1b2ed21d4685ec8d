package dev.ioserverless.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns Publish requests and PublishBatch entries into {@link Notification}s (validating them as SNS
 * does) and fans them out to the topic's subscriptions whose filter policy they pass.
 */
final class Publisher {

    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsState state;
    private final SqsDelivery delivery;
    private final AtomicLong sequence = new AtomicLong();

    Publisher(SnsState state, SqsDelivery delivery) {
        this.state = state;
        this.delivery = delivery;
    }

    /**
     * Validates one message: the parameters of a Publish request or of one PublishBatch entry
     * (Message, Subject, MessageStructure, MessageAttributes.entry.N.*, MessageGroupId,
     * MessageDeduplicationId).
     */
    Notification prepare(Topic topic, QueryRequest params) {
        String message = params.get("Message");
        if (message == null || message.isEmpty()) {
            throw SnsException.invalidParameter("Empty message");
        }
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        String structure = params.get("MessageStructure");
        if (structure != null && !structure.isEmpty()) {
            if (!structure.equals("json")) {
                throw SnsException.invalidParameter("MessageStructure");
            }
            message = sqsMessageOf(message);
        }
        String subject = params.get("Subject");
        if (subject != null && (subject.isEmpty() || subject.length() > 100
                || subject.chars().anyMatch(Character::isISOControl))) {
            throw SnsException.invalidParameter("Subject");
        }
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (QueryRequest entry : params.indexed("MessageAttributes.entry")) {
            String name = entry.get("Name");
            MessageAttribute attribute = MessageAttribute.of(name, entry.get("Value.DataType"),
                    entry.get("Value.StringValue"), entry.get("Value.BinaryValue"));
            attributes.put(name, attribute);
            size += attribute.size(name);
        }
        if (size > MAX_MESSAGE_BYTES) {
            throw SnsException.invalidParameter("Message too long");
        }

        String groupId = null;
        String deduplicationId = null;
        String sequenceNumber = null;
        if (topic.fifo()) {
            groupId = params.get("MessageGroupId");
            if (groupId == null || groupId.isEmpty()) {
                throw SnsException.invalidParameter("The MessageGroupId parameter is required for FIFO topics");
            }
            deduplicationId = params.get("MessageDeduplicationId");
            if (deduplicationId == null || deduplicationId.isEmpty()) {
                if (!topic.contentBasedDeduplication()) {
                    throw SnsException.invalidParameter("The topic should either have ContentBasedDeduplication"
                            + " enabled or MessageDeduplicationId provided explicitly");
                }
                deduplicationId = sha256Hex(message);
            }
            sequenceNumber = "1" + String.format("%019d", sequence.incrementAndGet());
        }
        return new Notification(UUID.randomUUID().toString(), topic, message, subject,
                Collections.unmodifiableMap(attributes), groupId, deduplicationId, sequenceNumber, Instant.now(), size);
    }

    /** Delivers to every subscription of the topic whose filter policy the message passes. */
    void fanOut(Notification notification) {
        for (Subscription subscription : state.subscriptionsOf(notification.topic().arn())) {
            if (subscription.accepts(notification.attributes(), notification.message())) {
                delivery.deliver(subscription, notification);
            }
        }
    }

    /** For MessageStructure=json: the "sqs" entry, else the required "default" entry. */
    private static String sqsMessageOf(String structured) {
        JsonNode root;
        try {
            root = JSON.readTree(structured);
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter("Message Structure - JSON message body failed to parse");
        }
        if (root == null || !root.isObject() || !root.path("default").isTextual()) {
            throw SnsException.invalidParameter("Message Structure - No default entry in JSON message body");
        }
        JsonNode sqs = root.path("sqs");
        return sqs.isTextual() ? sqs.textValue() : root.get("default").textValue();
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
