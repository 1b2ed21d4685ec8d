package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;

/**
 * Published on the message-events topic when a message reached the citizen's inbox. It holds
 * what a push consumer needs to notify the recipient's devices, no content and no personal data:
 * not even the recipient's fiscal code, which the consumer reads from the message's status item
 * (the topic and its queues then carry nothing that names a citizen):
 *
 * <pre>
 * {"event_type": "MessageProcessed", "message_id": "01J...",
 *  "sender_service_id": "...", "created_at": "2024-03-01T10:15:30.000Z", "time_to_live": 3600,
 *  "feature_level_type": "STANDARD", "require_secure_channels": false,
 *  "push_notifications_content_type": "ANONYMOUS", "push_enabled": true}
 * </pre>
 *
 * {@code push_notifications_content_type} is the recipient's choice when the message was processed:
 * FULL lets a push show the sender and the subject; ANONYMOUS (also when the citizen never chose)
 * keeps it generic. {@code push_enabled} is false when the citizen turned push notifications off or
 * blocked the sender's ({@link dev.ioserverless.profiles.PushConsent}): the message is in the inbox,
 * and no push goes out (absent in events published before it existed: true).
 *
 * The SNS message carries a String attribute {@code event_type} with the same value, for
 * subscription filter policies. The event can be published more than once for a message;
 * consumers deduplicate by {@code message_id}.
 */
public record MessageProcessedEvent(
        String messageId,
        /* The recipient: known where the event is made, never written to JSON; null when read from JSON
           (an event published before this change may still carry it). */
        String fiscalCode,
        String senderServiceId,
        Instant createdAt,
        int timeToLive,
        FeatureLevelType featureLevelType,
        boolean requireSecureChannels,
        boolean fullPushContent,
        /* False when the citizen turned pushes off or blocked the sender's: the inbox has the message, no phone rings. */
        boolean pushEnabled) {

    public static final String EVENT_TYPE = "MessageProcessed";
    /** The name of the SNS message attribute holding {@link #EVENT_TYPE}. */
    public static final String EVENT_TYPE_ATTRIBUTE = "event_type";

    /** The event of a message, from its header, for a citizen who chose FULL push content or not. */
    public static MessageProcessedEvent of(MessageHeader message, boolean fullPushContent, boolean pushEnabled) {
        return new MessageProcessedEvent(message.id(), message.fiscalCode(), message.senderServiceId(),
                message.createdAt(), message.timeToLive(), message.featureLevelType(),
                message.requireSecureChannels(), fullPushContent, pushEnabled);
    }

    /** The event of a message for a citizen whose pushes are anonymous. */
    public static MessageProcessedEvent of(Message message) {
        return of(message, false);
    }

    /** @param fullPushContent the recipient chose {@code push_notifications_content_type: FULL} */
    public static MessageProcessedEvent of(Message message, boolean fullPushContent) {
        return new MessageProcessedEvent(message.id(), message.fiscalCode(), message.senderServiceId(),
                message.createdAt(), message.timeToLive(), message.featureLevelType(),
                message.content().secureChannelsRequired(), fullPushContent, true);
    }

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("event_type", EVENT_TYPE);
        node.put("message_id", messageId);
        node.put("sender_service_id", senderServiceId);
        node.put("created_at", Timestamps.format(createdAt));
        node.put("time_to_live", timeToLive);
        node.put("feature_level_type", featureLevelType.name());
        node.put("require_secure_channels", requireSecureChannels);
        node.put("push_notifications_content_type", fullPushContent ? "FULL" : "ANONYMOUS");
        node.put("push_enabled", pushEnabled);
        return Json.write(node);
    }

    /** Reads an event written by {@link #toJson}; throws {@link IllegalArgumentException} for anything else. */
    public static MessageProcessedEvent fromJson(String json) {
        JsonNode node;
        try {
            node = Json.read(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a MessageProcessed event: malformed JSON");
        }
        if (node == null || !EVENT_TYPE.equals(node.path("event_type").asText(null))) {
            throw new IllegalArgumentException("not a MessageProcessed event");
        }
        try {
            return new MessageProcessedEvent(
                    required(node, "message_id"),
                    node.path("fiscal_code").isTextual() ? node.path("fiscal_code").textValue() : null,
                    required(node, "sender_service_id"),
                    Timestamps.parse(required(node, "created_at")),
                    node.path("time_to_live").asInt(NewMessage.TIME_TO_LIVE_DEFAULT),
                    FeatureLevelType.fromName(node.path("feature_level_type").asText())
                            .orElse(FeatureLevelType.STANDARD),
                    node.path("require_secure_channels").asBoolean(false),
                    "FULL".equals(node.path("push_notifications_content_type").asText()),
                    node.path("push_enabled").asBoolean(true));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("MessageProcessed event: created_at is not a timestamp");
        }
    }

    /** This event with its recipient, as a consumer resolved it. */
    public MessageProcessedEvent withFiscalCode(String recipient) {
        return new MessageProcessedEvent(messageId, recipient, senderServiceId, createdAt, timeToLive, featureLevelType,
                requireSecureChannels, fullPushContent, pushEnabled);
    }

    private static String required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("MessageProcessed event: " + name + " missing");
        }
        return value.textValue();
    }
}
