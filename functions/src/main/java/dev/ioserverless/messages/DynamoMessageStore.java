package dev.ioserverless.messages;

import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Messages in {@code MESSAGES_TABLE}, key {@code id}, with the recipient's index
 * {@code by-recipient} ({@code fiscal_code}, {@code id}). Every write is conditional: creation
 * only where no item has the id, status transitions only from the statuses
 * {@link MessageStatus} allows. Reads also return what other functions write on the item
 * ({@link #NOTIFICATION_WEBHOOK}, {@link #NOTIFICATION_UPDATED_AT}, {@link #READ_AT},
 * {@link #PAID_AT}; see {@link Message}), which this store never writes.
 */
public final class DynamoMessageStore implements MessageStore {
    public static final String BY_RECIPIENT_INDEX = "by-recipient";
    /** The push channel's status ({@link NotificationChannelStatus}), written by the push function. */
    public static final String NOTIFICATION_WEBHOOK = "notification_webhook";
    /** When {@link #NOTIFICATION_WEBHOOK} was written. */
    public static final String NOTIFICATION_UPDATED_AT = "notification_updated_at";
    /** When the citizen read the message, written by the citizen API. */
    public static final String READ_AT = "read_at";
    /** When the message's payment notice was paid, written by the payment callback. */
    public static final String PAID_AT = "paid_at";
    private static final int TRANSITION_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoMessageStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Message message) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(toItem(message))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", "id")));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("a message with id " + message.id() + " already exists", e);
        }
    }

    @Override
    public Optional<Message> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(id)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at) {
        MessageStatus.checkReason(target, reason);
        Set<MessageStatus> priors = MessageStatus.allowedPriorsOf(target);
        for (int attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
            if (!priors.isEmpty() && tryTransition(id, target, reason, at, priors)) {
                return StatusChange.APPLIED;
            }
            Optional<Message> current = find(id);
            if (current.isEmpty()) {
                return StatusChange.NOT_FOUND;
            }
            StatusChange change = MessageStatus.evaluate(
                    current.get().status(), current.get().rejectionReason(), target, reason);
            if (change != StatusChange.APPLIED) {
                return change;
            }
            // The status changed between the conditional write and the read; decide again.
        }
        throw new IllegalStateException("message " + id + " kept changing status; transition to " + target + " not applied");
    }

    private boolean tryTransition(
            String id, MessageStatus target, RejectionReason reason, Instant at, Set<MessageStatus> priors) {
        Map<String, String> names = new HashMap<>();
        names.put("#id", "id");
        names.put("#status", "status");
        names.put("#updated", "status_updated_at");
        names.put("#reason", "rejection_reason");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", s(target.name()));
        values.put(":at", s(Timestamps.format(at)));
        List<String> priorPlaceholders = new ArrayList<>();
        for (MessageStatus prior : priors) {
            String placeholder = ":from" + priorPlaceholders.size();
            priorPlaceholders.add(placeholder);
            values.put(placeholder, s(prior.name()));
        }
        String update;
        if (reason != null) {
            values.put(":reason", s(reason.name()));
            update = "SET #status = :to, #updated = :at, #reason = :reason";
        } else {
            update = "SET #status = :to, #updated = :at REMOVE #reason";
        }
        String condition = "attribute_exists(#id) AND #status IN (" + String.join(", ", priorPlaceholders) + ")";
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", s(id)))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Map<String, AttributeValue> toItem(Message message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(message.id()));
        item.put("fiscal_code", s(message.fiscalCode()));
        item.put("sender_service_id", s(message.senderServiceId()));
        item.put("created_at", s(Timestamps.format(message.createdAt())));
        item.put("time_to_live", n(message.timeToLive()));
        item.put("feature_level_type", s(message.featureLevelType().name()));
        item.put("content", s(Json.write(message.content().toJson())));
        item.put("status", s(message.status().name()));
        if (message.rejectionReason() != null) {
            item.put("rejection_reason", s(message.rejectionReason().name()));
        }
        item.put("status_updated_at", s(Timestamps.format(message.statusUpdatedAt())));
        return item;
    }

    static Message fromItem(Map<String, AttributeValue> item) {
        Instant createdAt = Timestamps.parse(string(item, "created_at"));
        MessageStatus status = MessageStatus.valueOf(string(item, "status"));
        return new Message(
                string(item, "id"),
                string(item, "fiscal_code"),
                string(item, "sender_service_id"),
                createdAt,
                (int) longValue(item, "time_to_live"),
                optString(item, "feature_level_type").flatMap(FeatureLevelType::fromName)
                        .orElse(FeatureLevelType.STANDARD),
                MessageContent.fromJson(Json.read(string(item, "content"))),
                status,
                status == MessageStatus.REJECTED ? RejectionReason.valueOf(string(item, "rejection_reason")) : null,
                optString(item, "status_updated_at").map(Timestamps::parse).orElse(createdAt),
                optString(item, NOTIFICATION_WEBHOOK).flatMap(NotificationChannelStatus::fromName).orElse(null),
                optTimestamp(item, NOTIFICATION_UPDATED_AT),
                optTimestamp(item, READ_AT),
                optTimestamp(item, PAID_AT));
    }

    private static Instant optTimestamp(Map<String, AttributeValue> item, String name) {
        Optional<String> text = optString(item, name);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(text.get());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("attribute " + name + " is not an ISO-8601 timestamp");
        }
    }
}
