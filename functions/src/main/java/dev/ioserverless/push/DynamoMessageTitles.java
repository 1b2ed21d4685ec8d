package dev.ioserverless.push;

import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The subject ({@code message_title}) and the recipient ({@code fiscal_code}) from the message's
 * status item in {@code MESSAGE_STATUS_TABLE}, reading only that attribute: a small item, never
 * the content.
 */
public final class DynamoMessageTitles implements MessageTitles {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoMessageTitles(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> titleOf(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(messageId)))
                .projectionExpression("#t")
                .expressionAttributeNames(Map.of("#t", "message_title"))).item();
        return item == null || item.isEmpty() ? Optional.empty() : optString(item, "message_title");
    }

    /** Consistent: the status item is written before its event is published, so it is always there. */
    @Override
    public Optional<String> recipientOf(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(messageId)))
                .projectionExpression("#f")
                .expressionAttributeNames(Map.of("#f", "fiscal_code"))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : optString(item, "fiscal_code");
    }
}
