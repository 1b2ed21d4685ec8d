package dev.ioserverless.email;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link EmailLedger} in {@code EMAIL_DELIVERIES_TABLE} (key {@code message_id}): {@code status}
 * (SENDING, SENT, THROTTLED, EXPIRED, FAILED), the {@code attempt} that holds it, when, and
 * {@code expires_at} (TTL, 30 days: longer than any message's time to live and any redelivery).
 * A SENDING record whose function stopped before settling is never claimed again: the email may
 * have gone out, and at most one must.
 */
public final class DynamoEmailLedger implements EmailLedger {
    static final Duration KEPT = Duration.ofDays(30);
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoEmailLedger(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean claim(String messageId, String attempt, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("message_id", s(messageId)))
                    .updateExpression("SET #status = :sending, attempt = :attempt, updated_at = :at, expires_at = :ttl")
                    .conditionExpression("attribute_not_exists(message_id) OR #status = :throttled")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":sending", s("SENDING"), ":attempt", s(attempt),
                            ":at", s(Timestamps.format(at)), ":throttled", s("THROTTLED"),
                            ":ttl", n(at.plus(KEPT).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void settle(String messageId, String attempt, String status, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("message_id", s(messageId)))
                    .updateExpression("SET #status = :status, updated_at = :at")
                    .conditionExpression("attempt = :attempt AND #status = :sending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", s(status), ":at", s(Timestamps.format(at)),
                            ":attempt", s(attempt), ":sending", s("SENDING"))));
        } catch (ConditionalCheckFailedException anotherAttempt) {
            // Settled already by this attempt's retry of the write.
        }
    }
}
