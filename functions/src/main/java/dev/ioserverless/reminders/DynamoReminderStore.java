package dev.ioserverless.reminders;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The reminders' reads and writes on {@code MESSAGE_STATUS_TABLE}: Query on its sparse
 * {@link DynamoMessageStore#REMINDERS_INDEX} index ({@code reminder_shard},
 * {@code next_reminder_at}; keys only), GetItem of a status item (consistent) and one conditional
 * UpdateItem per decision. It never reads the content table, and never scans.
 */
public final class DynamoReminderStore implements ReminderStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoReminderStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Iterable<Due> due(String shard, Instant now) {
        var items = dynamo.queryPaginator(b -> b.tableName(table)
                .indexName(DynamoMessageStore.REMINDERS_INDEX)
                .keyConditionExpression("#shard = :shard AND #next <= :now")
                .expressionAttributeNames(Map.of("#shard", DynamoMessageStore.REMINDER_SHARD,
                        "#next", DynamoMessageStore.NEXT_REMINDER_AT))
                .expressionAttributeValues(Map.of(":shard", s(shard), ":now", s(Timestamps.format(now)))))
                .items();
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<Map<String, AttributeValue>> pages = items.iterator();

            @Override
            public boolean hasNext() {
                return pages.hasNext();
            }

            @Override
            public Due next() {
                Map<String, AttributeValue> item = pages.next();
                return new Due(string(item, "id"), string(item, DynamoMessageStore.NEXT_REMINDER_AT));
            }
        };
    }

    @Override
    public Optional<PaymentReminderState> find(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(messageId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PaymentReminderState(
                messageId,
                string(item, "fiscal_code"),
                string(item, "sender_service_id"),
                MessageStatus.valueOf(string(item, "status")),
                optString(item, "feature_level_type").flatMap(FeatureLevelType::fromName).orElse(FeatureLevelType.STANDARD),
                item.containsKey(DynamoMessageStore.RPT_ID),
                optString(item, "due_date").map(Timestamps::parse).orElse(null),
                optString(item, DynamoMessageStore.PAID_AT).map(Timestamps::parse).orElse(null),
                optBool(item, "require_secure_channels").orElse(false),
                optString(item, "message_title").orElse(null),
                ReminderItems.fromItem(item),
                optString(item, DynamoMessageStore.NEXT_REMINDER_AT).orElse(null),
                optLong(item, DynamoMessageStore.REMINDER_ATTEMPTS).orElse(0L).intValue()));
    }

    @Override
    public boolean advance(String messageId, String expectedNextReminderAt, Optional<ReminderSlot> slot,
                           Optional<Instant> next) {
        Map<String, String> names = new HashMap<>();
        names.put("#next", DynamoMessageStore.NEXT_REMINDER_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":expected", s(expectedNextReminderAt));
        StringBuilder set = new StringBuilder();
        if (slot.isPresent()) {
            names.put("#reminders", DynamoMessageStore.REMINDERS);
            values.put(":slot", AttributeValue.fromL(List.of(ReminderItems.toAttribute(slot.get()))));
            values.put(":none", AttributeValue.fromL(List.of()));
            set.append("#reminders = list_append(if_not_exists(#reminders, :none), :slot)");
        }
        // The attempts belong to the reminder that was due: whatever the decision, they are done with.
        names.put("#attempts", DynamoMessageStore.REMINDER_ATTEMPTS);
        List<String> remove = new java.util.ArrayList<>(List.of("#attempts"));
        if (next.isPresent()) {
            values.put(":next", s(Timestamps.format(next.get())));
            set.append(set.length() == 0 ? "" : ", ").append("#next = :next");
        } else {
            names.put("#shard", DynamoMessageStore.REMINDER_SHARD);
            remove.add("#next");
            remove.add("#shard");
        }
        String update = (set.length() == 0 ? "" : "SET " + set + " ") + "REMOVE " + String.join(", ", remove);
        return conditionally(messageId, update, names, values);
    }

    @Override
    public boolean countAttempt(String messageId, String expectedNextReminderAt, int attempts) {
        Map<String, String> names = new HashMap<>(Map.of("#next", DynamoMessageStore.NEXT_REMINDER_AT,
                "#attempts", DynamoMessageStore.REMINDER_ATTEMPTS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":expected", s(expectedNextReminderAt),
                ":attempts", n(attempts)));
        return conditionally(messageId, "SET #attempts = :attempts", names, values);
    }

    private boolean conditionally(String messageId, String update, Map<String, String> names,
                                  Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", s(messageId)))
                    .updateExpression(update)
                    .conditionExpression("#next = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
