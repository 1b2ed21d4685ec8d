package dev.ioserverless.services;

import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records in {@code IDEMPOTENCY_TABLE}, key {@code pk} = {@code <service_id>#<key>},
 * with {@code request_hash} (S), {@code state} (S, IN_PROGRESS or COMPLETED), {@code claim_id}
 * (S), {@code locked_until} (N, epoch milliseconds, the lease), {@code expires_at} (N, epoch
 * seconds, the table's TTL) and, once COMPLETED, {@code response_status} (N),
 * {@code response_headers} (M of S) and {@code response_body} (S).
 *
 * <p>The claim is one conditional PutItem whose condition is {@link IdempotencyPolicy#isClaimable}:
 * {@code attribute_not_exists(pk) OR expires_at < :now OR (state = IN_PROGRESS AND locked_until < :now)}.
 * Completion and release are conditional on the claim id, so a request whose lease ran out
 * cannot overwrite or delete the claim of the request that took over.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean tryClaim(IdempotencyRecord claim, Instant now) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(toItem(claim))
                    .conditionExpression("attribute_not_exists(#pk) OR #expires < :nowSeconds "
                            + "OR (#state = :inProgress AND #locked < :nowMillis)")
                    .expressionAttributeNames(Map.of("#pk", "pk", "#state", "state", "#locked", "locked_until",
                            "#expires", "expires_at"))
                    .expressionAttributeValues(Map.of(
                            ":nowSeconds", n(now.getEpochSecond()),
                            ":nowMillis", n(now.toEpochMilli()),
                            ":inProgress", s(IdempotencyRecord.State.IN_PROGRESS.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<IdempotencyRecord> find(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", s(key)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean complete(IdempotencyRecord claim, ApiResponse response) {
        Map<String, AttributeValue> headers = new HashMap<>();
        response.headers().forEach((name, value) -> headers.put(name, s(value)));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":completed", s(IdempotencyRecord.State.COMPLETED.name()));
        values.put(":inProgress", s(IdempotencyRecord.State.IN_PROGRESS.name()));
        values.put(":claim", s(claim.claimId()));
        values.put(":status", n(response.status()));
        values.put(":headers", AttributeValue.builder().m(headers).build());
        values.put(":body", s(response.body() == null ? "" : response.body()));
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(claim.key())))
                    .updateExpression("SET #state = :completed, response_status = :status, "
                            + "response_headers = :headers, response_body = :body")
                    .conditionExpression("#claim = :claim AND #state = :inProgress")
                    .expressionAttributeNames(Map.of("#state", "state", "#claim", "claim_id"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean release(IdempotencyRecord claim) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(claim.key())))
                    .conditionExpression("#claim = :claim AND #state = :inProgress")
                    .expressionAttributeNames(Map.of("#state", "state", "#claim", "claim_id"))
                    .expressionAttributeValues(Map.of(
                            ":claim", s(claim.claimId()),
                            ":inProgress", s(IdempotencyRecord.State.IN_PROGRESS.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The reservation is its own item, {@code pk} = {@code <key>#ids} (a key ends in a hex hash,
     * so no key's record can have that name), with {@code request_hash}, {@code ids} (L of S) and
     * {@code expires_at}: one conditional PutItem, and a consistent read when it is refused.
     */
    @Override
    public Optional<java.util.List<String>> reserveIds(String key, String requestHash, java.util.List<String> fresh,
                                                        Instant now, java.time.Duration retention) {
        String reservation = key + "#ids";
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(reservation));
        item.put("request_hash", s(requestHash));
        item.put("ids", AttributeValue.builder().l(fresh.stream().map(dev.ioserverless.common.DynamoAttributes::s).toList()).build());
        item.put("expires_at", n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #expires < :nowSeconds")
                    .expressionAttributeNames(Map.of("#pk", "pk", "#expires", "expires_at"))
                    .expressionAttributeValues(Map.of(":nowSeconds", n(now.getEpochSecond()))));
            return Optional.of(fresh);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(reservation))).consistentRead(true)).item();
            if (existing == null || existing.isEmpty()) {
                // Expired and deleted between the two calls: reserve again.
                return reserveIds(key, requestHash, fresh, now, retention);
            }
            if (!requestHash.equals(optString(existing, "request_hash").orElse(""))) {
                return Optional.empty();
            }
            java.util.List<String> ids = existing.get("ids").l().stream().map(AttributeValue::s).toList();
            return ids.size() == fresh.size() ? Optional.of(ids) : Optional.empty();
        }
    }

    static Map<String, AttributeValue> toItem(IdempotencyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(record.key()));
        item.put("request_hash", s(record.requestHash()));
        item.put("state", s(record.state().name()));
        item.put("claim_id", s(record.claimId()));
        item.put("locked_until", n(record.lockedUntil().toEpochMilli()));
        item.put("expires_at", n(record.expiresAtEpochSecond()));
        if (record.response() != null) {
            Map<String, AttributeValue> headers = new HashMap<>();
            record.response().headers().forEach((name, value) -> headers.put(name, s(value)));
            item.put("response_status", n(record.response().status()));
            item.put("response_headers", AttributeValue.builder().m(headers).build());
            item.put("response_body", s(record.response().body()));
        }
        return item;
    }

    static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        IdempotencyRecord.State state = IdempotencyRecord.State.valueOf(string(item, "state"));
        ApiResponse response = null;
        if (state == IdempotencyRecord.State.COMPLETED) {
            Map<String, String> headers = new LinkedHashMap<>();
            AttributeValue stored = item.get("response_headers");
            if (stored != null && stored.hasM()) {
                stored.m().forEach((name, value) -> {
                    if (value.s() != null) {
                        headers.put(name, value.s());
                    }
                });
            }
            response = new ApiResponse((int) longValue(item, "response_status"), headers,
                    optString(item, "response_body").orElse(""));
        }
        return new IdempotencyRecord(
                string(item, "pk"),
                string(item, "request_hash"),
                state,
                optString(item, "claim_id").orElse(""),
                Instant.ofEpochMilli(optLong(item, "locked_until").orElse(0L)),
                longValue(item, "expires_at"),
                response);
    }
}
