package dev.ioserverless.messages;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The outbox of submission, in {@code PENDING_MESSAGES_TABLE}: one small item per message that
 * was accepted and has not been settled yet, written before the message itself. Key {@code shard}
 * ({@code S#0} to {@code S#15}, from the id, so no partition gets every write) and {@code id};
 * {@code held_at} (N, epoch ms, when it was written), {@code due_at} (N, epoch ms, when the sweeper
 * may look at it) and {@code sweeps} (N, how many times the sweeper queued it again).
 *
 * <p>Processing deletes the item once the message is settled (PROCESSED and announced, REJECTED,
 * or FAILED by the dead-letter function). An item still there after its due time is the
 * sweeper's ({@link PendingMessagesSweep}): a message stored but never queued (the SendMessage
 * failed, or was ambiguous, or the function stopped between the write and the send), or queued
 * and not yet settled. Re-queueing is safe: processing is idempotent on the message id.
 */
public final class DynamoPendingMessages {
    public static final int SHARDS = 16;
    /** How long after acceptance the sweeper first looks: a queued message is normally settled in seconds. */
    public static final Duration FIRST_LOOK = Duration.ofMinutes(2);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPendingMessages(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One pending item as the sweeper reads it. */
    public record Pending(String id, Instant heldAt, Instant dueAt, int sweeps) {
    }

    public static String shardOf(String messageId) {
        return "S#" + Math.floorMod(messageId.hashCode(), SHARDS);
    }

    public static String shard(int index) {
        return "S#" + index;
    }

    /** Writes (or rewrites, for a retried submission) the item of a message accepted at {@code now}. */
    public void hold(String messageId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("shard", s(shardOf(messageId)));
        item.put("id", s(messageId));
        item.put("held_at", n(now.toEpochMilli()));
        item.put("due_at", n(now.plus(FIRST_LOOK).toEpochMilli()));
        item.put("sweeps", n(0));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Deletes the item of a settled message; a missing item is no error. */
    public void settle(String messageId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(messageId)));
    }

    /**
     * The items of one shard due at {@code now}, at most {@code limit}, oldest id first. The items
     * not due are read and filtered out: a shard holds only the messages in flight.
     */
    public List<Pending> due(int shardIndex, Instant now, int limit) {
        List<Pending> due = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#shard = :shard")
                    .filterExpression("#due <= :now")
                    .expressionAttributeNames(Map.of("#shard", "shard", "#due", "due_at"))
                    .expressionAttributeValues(Map.of(":shard", s(shard(shardIndex)), ":now", n(now.toEpochMilli())))
                    .exclusiveStartKey(from)
                    .consistentRead(true));
            for (Map<String, AttributeValue> item : page.items()) {
                if (due.size() >= limit) {
                    return due;
                }
                due.add(new Pending(string(item, "id"),
                        Instant.ofEpochMilli(optLong(item, "held_at").orElse(0L)),
                        Instant.ofEpochMilli(optLong(item, "due_at").orElse(0L)),
                        (int) (long) optLong(item, "sweeps").orElse(0L)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && due.size() < limit);
        return due;
    }

    /**
     * Counts a sweep of the item and sets when it is next due; only if it is still there (a
     * message settled meanwhile stays settled). Answers whether the item was there.
     */
    public boolean postpone(Pending pending, Instant nextDue) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pending.id()))
                    .updateExpression("SET due_at = :due, sweeps = :sweeps")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":due", n(nextDue.toEpochMilli()),
                            ":sweeps", n(pending.sweeps() + 1L))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String messageId) {
        return Map.of("shard", s(shardOf(messageId)), "id", s(messageId));
    }
}
