package dev.ioserverless.messages;

import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link PaymentMarks} on the message status items: one conditional UpdateItem per message, which
 * sets {@code paid_at} and {@code receipt_id} only where there is no {@code paid_at} yet and removes
 * the reminder keys, so the message leaves the reminders index in the same write.
 */
public final class DynamoPaymentMarks implements PaymentMarks {
    private final DynamoDbClient dynamo;
    private final String statusTable;

    public DynamoPaymentMarks(DynamoDbClient dynamo, String statusTable) {
        this.dynamo = dynamo;
        this.statusTable = statusTable;
    }

    @Override
    public Mark markPaid(String messageId, String receiptId, Instant paidAt) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(statusTable)
                    .key(Map.of("id", s(messageId)))
                    .updateExpression("SET #paid = :paid, #receipt = :receipt REMOVE #next, #shard")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#paid)")
                    .expressionAttributeNames(Map.of("#id", "id", "#paid", DynamoMessageStore.PAID_AT,
                            "#receipt", DynamoMessageStore.RECEIPT_ID, "#next", DynamoMessageStore.NEXT_REMINDER_AT,
                            "#shard", DynamoMessageStore.REMINDER_SHARD))
                    .expressionAttributeValues(Map.of(":paid", s(Timestamps.format(paidAt)), ":receipt", s(receiptId)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return mark(messageId, true, item);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
            if (old == null || old.isEmpty()) {
                return null;
            }
            return mark(messageId, false, old);
        }
    }

    private static Mark mark(String messageId, boolean newlyPaid, Map<String, AttributeValue> item) {
        return new Mark(messageId, newlyPaid,
                optString(item, DynamoMessageStore.RECEIPT_ID).orElse(null),
                optLong(item, DynamoMessageStore.PAYMENT_AMOUNT).orElse(null),
                optString(item, "message_title").orElse(null));
    }
}
