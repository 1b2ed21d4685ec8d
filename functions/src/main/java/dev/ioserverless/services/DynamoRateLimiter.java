package dev.ioserverless.services;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.s;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Rate-limit counters in {@code RATE_LIMITS_TABLE}: key {@code pk} =
 * {@code <service_id>#<window start epoch seconds>}, attributes {@code request_count} (N) and
 * {@code expires_at} (N, epoch seconds, the table's TTL). One conditional UpdateItem per request
 * ({@code ADD request_count :cost} only if the count is at most {@code limit - carried - cost},
 * {@link RateLimitPolicy#carried} being the previous window's share of the sliding window), so the
 * limit holds however many Lambda instances serve the service; the previous window's count is read
 * once per instance and window.
 */
public final class DynamoRateLimiter implements RateLimiter {
    static final String COUNT = "request_count";
    static final String EXPIRES_AT = "expires_at";

    /** Previous windows' counts a warm instance remembers (service and window start), at most this many. */
    static final int MAX_CACHED = 10_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, Long> previousCounts = new java.util.concurrent.ConcurrentHashMap<>();

    public DynamoRateLimiter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public RateLimitDecision acquire(String serviceId, int limit, int cost, Instant now) {
        if (cost < 1) {
            throw new IllegalArgumentException("a request costs at least 1");
        }
        RateLimitPolicy.Window window = RateLimitPolicy.windowOf(now);
        long previous = previousCount(serviceId, window);
        long carried = RateLimitPolicy.carried(previous, now);
        long maxBefore = RateLimitPolicy.maxCountBefore(limit, cost, carried);
        if (maxBefore < 0) {
            return RateLimitPolicy.rejected(limit, cost, previous, OptionalLong.empty(), now);
        }
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(window.partitionKey(serviceId))))
                    .updateExpression("ADD #count :cost SET #expires = :expires")
                    .conditionExpression("attribute_not_exists(#count) OR #count <= :maxBefore")
                    .expressionAttributeNames(Map.of("#count", COUNT, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":cost", n(cost),
                            ":maxBefore", n(maxBefore),
                            ":expires", n(window.expiresAtEpochSecond())))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                    .attributes();
            return RateLimitPolicy.admitted(limit, cost, carried, count(updated).orElse(cost), now);
        } catch (ConditionalCheckFailedException e) {
            return RateLimitPolicy.rejected(limit, cost, previous, e.hasItem() ? count(e.item()) : OptionalLong.empty(),
                    now);
        }
    }

    /**
     * The previous window's count. Once a window has ended its count no longer changes (but for a
     * request in flight at the boundary), so a warm instance reads it once per service and window.
     */
    private long previousCount(String serviceId, RateLimitPolicy.Window current) {
        String key = new RateLimitPolicy.Window(current.startEpochSecond() - RateLimitPolicy.WINDOW_SECONDS)
                .partitionKey(serviceId);
        Long cached = previousCounts.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s(key)))).item();
        long count = count(item).orElse(0);
        if (previousCounts.size() > MAX_CACHED) {
            previousCounts.clear();
        }
        previousCounts.put(key, count);
        return count;
    }

    private static OptionalLong count(Map<String, AttributeValue> item) {
        AttributeValue value = item == null ? null : item.get(COUNT);
        if (value == null || value.n() == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.n()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("attribute " + COUNT + " is not an integer");
        }
    }
}
