package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.s;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Attempt counters in the platform's rate-limit counter table ({@code RATE_LIMITS_TABLE}), with
 * its item shape: key {@code pk} = {@code email-validation#<key>#<window start epoch seconds>},
 * {@code request_count} (N) and {@code expires_at} (N, the table's TTL, the window's end). One
 * conditional UpdateItem per attempt.
 */
public final class DynamoAttemptCounter implements AttemptCounter {
    static final String PREFIX = "email-validation#";
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAttemptCounter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean tryCount(String key, Instant windowStart, Instant windowEnd, int limit) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(PREFIX + key + "#" + windowStart.getEpochSecond())))
                    .updateExpression("ADD #count :one SET #expires = :expires")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeNames(Map.of("#count", "request_count", "#expires", "expires_at"))
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit),
                            ":expires", n(windowEnd.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
