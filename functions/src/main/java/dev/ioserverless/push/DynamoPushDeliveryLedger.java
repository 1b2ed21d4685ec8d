package dev.ioserverless.push;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The push ledger in {@code PUSH_DELIVERIES_TABLE}, key ({@code message_id} HASH, {@code delivery}
 * RANGE, {@code <kind>#<installation_id>}, e.g. {@code MESSAGE#phone-1} or
 * {@code REMINDER_PAYMENT#2#phone-1}), with {@code kind} and {@code installation_id} apart for an
 * operator's reading, {@code status} (PENDING, SENT, FAILED),
 * {@code attempted_at}, {@code lease_until} (epoch milliseconds, while PENDING), {@code sent_at}
 * and {@code expires_at} (epoch seconds, the table's TTL attribute, {@link #RETENTION} after the
 * attempt), and {@code claim_id} (the claim's own id, so a claim whose answer was lost and whose
 * retry is refused is still known for its own). A claim is a conditional put, so two workers never
 * both hold a pair.
 */
public final class DynamoPushDeliveryLedger implements PushDeliveryLedger {
    static final String PENDING = "PENDING";
    static final String SENT = "SENT";
    static final String FAILED = "FAILED";
    /** The range key: the kind and the installation. */
    static final String DELIVERY = "delivery";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPushDeliveryLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String messageId, String kind, String installationId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(messageId, kind, installationId));
        item.put("kind", s(kind));
        item.put("installation_id", s(installationId));
        item.put("status", s(PENDING));
        item.put("attempted_at", s(Timestamps.format(now)));
        item.put("lease_until", n(now.plus(LEASE).toEpochMilli()));
        item.put("expires_at", n(now.plus(RETENTION).getEpochSecond()));
        String claimId = java.util.UUID.randomUUID().toString();
        item.put("claim_id", s(claimId));
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#mid) OR #status = :failed"
                            + " OR (#status = :pending AND #lease < :now)")
                    .expressionAttributeNames(Map.of("#mid", "message_id", "#status", "status", "#lease", "lease_until"))
                    .expressionAttributeValues(Map.of(
                            ":failed", s(FAILED),
                            ":pending", s(PENDING),
                            ":now", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.hasItem() && !e.item().isEmpty() ? e.item()
                    : dynamo.getItem(b -> b.tableName(table).key(key(messageId, kind, installationId)).consistentRead(true))
                            .item();
            if (current == null || current.isEmpty()) {
                // Released between the put and the read: let the caller treat it as busy; a retry claims it.
                return Claim.IN_PROGRESS;
            }
            if (claimId.equals(optString(current, "claim_id").orElse(null))
                    && PENDING.equals(optString(current, "status").orElse(null))) {
                // Our own put, whose answer was lost: the SDK's retry of it found it there.
                return Claim.CLAIMED;
            }
            return SENT.equals(optString(current, "status").orElse(null)) ? Claim.ALREADY_SENT : Claim.IN_PROGRESS;
        }
    }

    @Override
    public void markSent(String messageId, String kind, String installationId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(messageId, kind, installationId))
                .updateExpression("SET #status = :sent, #sentAt = :at, #expires = :expires REMOVE #lease")
                .expressionAttributeNames(Map.of("#status", "status", "#sentAt", "sent_at",
                        "#expires", "expires_at", "#lease", "lease_until"))
                .expressionAttributeValues(Map.of(
                        ":sent", s(SENT),
                        ":at", s(Timestamps.format(at)),
                        ":expires", n(at.plus(RETENTION).getEpochSecond()))));
    }

    @Override
    public void markFailed(String messageId, String kind, String installationId, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(messageId, kind, installationId))
                    .updateExpression("SET #status = :failed, #attempted = :at, #expires = :expires REMOVE #lease")
                    .conditionExpression("attribute_not_exists(#status) OR #status <> :sent")
                    .expressionAttributeNames(Map.of("#status", "status", "#attempted", "attempted_at",
                            "#expires", "expires_at", "#lease", "lease_until"))
                    .expressionAttributeValues(Map.of(
                            ":failed", s(FAILED),
                            ":sent", s(SENT),
                            ":at", s(Timestamps.format(at)),
                            ":expires", n(at.plus(RETENTION).getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            // SENT is final.
        }
    }

    @Override
    public void release(String messageId, String kind, String installationId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(key(messageId, kind, installationId))
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", s(PENDING))));
        } catch (ConditionalCheckFailedException e) {
            // Not PENDING (any more): nothing to give back.
        }
    }

    static Map<String, AttributeValue> key(String messageId, String kind, String installationId) {
        return Map.of("message_id", s(messageId), DELIVERY, s(kind + "#" + installationId));
    }
}
