package dev.ioserverless.email;

import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.NotificationChannelStatus;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link EmailStatuses} on the message's status item ({@code notification_email} and its
 * time), what the sender reads as {@code notification.email}. One UpdateItem touching only those,
 * conditional on the message existing and on SENT not being there already (SENT is final).
 */
public final class DynamoEmailStatuses implements EmailStatuses {
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoEmailStatuses(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean record(String messageId, NotificationChannelStatus status, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", s(messageId)))
                    .updateExpression("SET #status = :status, #at = :at")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(#status) OR #status <> :sent)")
                    .expressionAttributeNames(Map.of("#status", DynamoMessageStore.NOTIFICATION_EMAIL,
                            "#at", DynamoMessageStore.NOTIFICATION_EMAIL_UPDATED_AT))
                    .expressionAttributeValues(Map.of(":status", s(status.name()), ":at", s(Timestamps.format(at)),
                            ":sent", s(NotificationChannelStatus.SENT.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
