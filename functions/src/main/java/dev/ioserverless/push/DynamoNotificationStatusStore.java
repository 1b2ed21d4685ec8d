package dev.ioserverless.push;

import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The push channel status on the message's status item in {@code MESSAGE_STATUS_TABLE} (key {@code id}):
 * {@code notification_webhook} (S, a {@link NotificationStatus}) and {@code notification_updated_at}
 * (S, a timestamp). One UpdateItem that touches no other attribute, conditional on the message
 * existing (it never creates an item) and on the status not being SENT already (SENT is final).
 */
public final class DynamoNotificationStatusStore implements NotificationStatusStore {
    public static final String STATUS_ATTRIBUTE = "notification_webhook";
    public static final String UPDATED_AT_ATTRIBUTE = "notification_updated_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoNotificationStatusStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean record(String messageId, NotificationStatus status, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", s(messageId)))
                    .updateExpression("SET #status = :status, #updated = :at")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#status) OR #status <> :sent)")
                    .expressionAttributeNames(Map.of("#id", "id", "#status", STATUS_ATTRIBUTE,
                            "#updated", UPDATED_AT_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(
                            ":status", s(status.name()),
                            ":at", s(Timestamps.format(at)),
                            ":sent", s(NotificationStatus.SENT.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
