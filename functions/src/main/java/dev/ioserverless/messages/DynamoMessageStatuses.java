package dev.ioserverless.messages;

import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Status transitions on the status items of {@code MESSAGE_STATUS_TABLE} (see
 * {@link DynamoMessageStore}), each a conditional UpdateItem from the statuses {@link MessageStatus}
 * allows; the transition to PROCESSED also puts the message in the citizen's inbox index. It also
 * records when a PROCESSED message's event was published ({@link #markAnnounced}). It never
 * reads or writes the content, so a function that only moves statuses needs only this table.
 */
public final class DynamoMessageStatuses implements MessageStatusTransitions {
    private static final int TRANSITION_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String statusTable;

    public DynamoMessageStatuses(DynamoDbClient dynamo, String statusTable) {
        this.dynamo = dynamo;
        this.statusTable = statusTable;
    }

    /** The transitions of a function whose template gives it {@code MESSAGE_STATUS_TABLE}. */
    public static DynamoMessageStatuses fromConfig(Config config) {
        return new DynamoMessageStatuses(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"));
    }

    @Override
    public StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at) {
        MessageStatus.checkReason(target, reason);
        Set<MessageStatus> priors = MessageStatus.allowedPriorsOf(target);
        for (int attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
            if (!priors.isEmpty() && tryTransition(id, target, reason, at, priors)) {
                return StatusChange.APPLIED;
            }
            Map<String, AttributeValue> current = dynamo.getItem(b -> b.tableName(statusTable)
                    .key(Map.of("id", s(id)))
                    .consistentRead(true)).item();
            if (current == null || current.isEmpty()) {
                return StatusChange.NOT_FOUND;
            }
            MessageStatus currentStatus = MessageStatus.valueOf(string(current, "status"));
            RejectionReason currentReason = currentStatus == MessageStatus.REJECTED
                    ? RejectionReason.valueOf(string(current, "rejection_reason")) : null;
            StatusChange change = MessageStatus.evaluate(currentStatus, currentReason, target, reason);
            if (change != StatusChange.APPLIED) {
                return change;
            }
            // The status changed between the conditional write and the read; decide again.
        }
        throw new IllegalStateException("message " + id + " kept changing status; transition to " + target + " not applied");
    }

    @Override
    public boolean awaitsAnnouncement(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(statusTable)
                .key(Map.of("id", s(id)))
                .projectionExpression("#status, #announced")
                .expressionAttributeNames(Map.of("#status", "status", "#announced", DynamoMessageStore.ANNOUNCED_AT))
                .consistentRead(true)).item();
        return item != null && !item.isEmpty()
                && MessageStatus.PROCESSED.name().equals(string(item, "status"))
                && !item.containsKey(DynamoMessageStore.ANNOUNCED_AT);
    }

    /**
     * Sets {@link DynamoMessageStore#ANNOUNCED_AT} on a PROCESSED message that has none (a
     * conditional UpdateItem); anything else is left alone.
     */
    public void markAnnounced(String id, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(statusTable)
                    .key(Map.of("id", s(id)))
                    .updateExpression("SET #announced = :at")
                    .conditionExpression("#status = :processed AND attribute_not_exists(#announced)")
                    .expressionAttributeNames(Map.of("#status", "status", "#announced", DynamoMessageStore.ANNOUNCED_AT))
                    .expressionAttributeValues(Map.of(":at", s(Timestamps.format(at)),
                            ":processed", s(MessageStatus.PROCESSED.name()))));
        } catch (ConditionalCheckFailedException e) {
            // Announced before (the first record stands), or not PROCESSED: nothing to record.
        }
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
        StringBuilder set = new StringBuilder("SET #status = :to, #updated = :at");
        if (reason != null) {
            values.put(":reason", s(reason.name()));
            set.append(", #reason = :reason");
        }
        if (target == MessageStatus.PROCESSED) {
            // Into the citizen's inbox: the index key is the recipient (copied from the item) and the folder.
            names.put("#owner", DynamoMessageStore.INBOX_OWNER);
            names.put("#folder", DynamoMessageStore.INBOX_FOLDER);
            names.put("#fc", "fiscal_code");
            values.put(":folder", s(DynamoMessageStore.folderOf(id, false)));
            set.append(", #owner = #fc, #folder = :folder");
        }
        String update = reason != null ? set.toString() : set + " REMOVE #reason";
        String condition = "attribute_exists(#id) AND #status IN (" + String.join(", ", priorPlaceholders) + ")";
        try {
            dynamo.updateItem(b -> b.tableName(statusTable)
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
}
