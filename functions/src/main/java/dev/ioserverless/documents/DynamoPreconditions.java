package dev.ioserverless.documents;

import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.DynamoMessageStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link Preconditions} on the message's status item in {@code MESSAGE_STATUS_TABLE}:
 * {@link DynamoMessageStore#PRECONDITION_SHOWN_AT} and {@link DynamoMessageStore#PRECONDITION_ACCEPTED_AT},
 * each written once by a conditional update that touches nothing else (neither is projected in
 * any index).
 */
public final class DynamoPreconditions implements Preconditions {
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoPreconditions(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void shown(String messageId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", s(messageId)))
                    .updateExpression("SET #shown = :at")
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(#shown)")
                    .expressionAttributeNames(Map.of("#shown", DynamoMessageStore.PRECONDITION_SHOWN_AT))
                    .expressionAttributeValues(Map.of(":at", s(Timestamps.format(at)))));
        } catch (ConditionalCheckFailedException alreadyShown) {
            // The first showing counts.
        }
    }

    @Override
    public boolean acceptIfShown(String messageId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", s(messageId)))
                    .updateExpression("SET #accepted = :at")
                    .conditionExpression("attribute_exists(#shown) AND attribute_not_exists(#accepted)")
                    .expressionAttributeNames(Map.of("#shown", DynamoMessageStore.PRECONDITION_SHOWN_AT,
                            "#accepted", DynamoMessageStore.PRECONDITION_ACCEPTED_AT))
                    .expressionAttributeValues(Map.of(":at", s(Timestamps.format(at)))));
            return true;
        } catch (ConditionalCheckFailedException notShownOrAccepted) {
            return false;
        }
    }
}
