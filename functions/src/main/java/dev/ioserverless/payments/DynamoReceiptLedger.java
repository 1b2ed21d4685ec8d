package dev.ioserverless.payments;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.PaymentMarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The receipts in {@code RECEIPTS_TABLE} (layout: {@link ReceiptItems}), as the callback writes
 * them: the receipt, its notice's record of it and its citizens' entries in one transaction,
 * conditional on the receipt id being new, so ten copies arriving at once give one receipt and one
 * entry per citizen. The notice's partition is where receipts and messages meet.
 */
public final class DynamoReceiptLedger implements ReceiptLedger {
    /** Transactions DynamoDB cancels for a conflicting one in flight are tried this many times. */
    static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoReceiptLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Recorded record(Receipt receipt, Instant receivedAt) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(putNew(ReceiptItems.receiptItem(receipt, receivedAt)));
        writes.add(putNew(ReceiptItems.noticeReceiptItem(receipt)));
        ReceiptItems.citizenEntries(receipt).forEach(entry -> writes.add(putNew(entry)));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return Recorded.NEW;
            } catch (TransactionCanceledException e) {
                Optional<StoredReceipt> existing = find(receipt.receiptId());
                if (existing.isPresent()) {
                    return sameReceipt(existing.get().receipt(), receipt) ? Recorded.REPLAY : Recorded.CONFLICT;
                }
                if (!conflictOnly(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                // Cancelled for another transaction on the same items, which did not write them (yet): again.
                pause(attempt);
            }
        }
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", ReceiptItems.PK))).build();
    }

    private static boolean conflictOnly(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return conflict;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt + (long) (Math.random() * 20));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    /** Same payment: every field the platform sent (a replay is the same request). */
    static boolean sameReceipt(Receipt a, Receipt b) {
        return a.receiptId().equals(b.receiptId()) && a.noticeNumber().equals(b.noticeNumber())
                && a.payeeFiscalCode().equals(b.payeeFiscalCode()) && a.amount() == b.amount()
                && a.paidAt().toEpochMilli() == b.paidAt().toEpochMilli()
                && Objects.equals(a.payerFiscalCode(), b.payerFiscalCode())
                && Objects.equals(a.debtorFiscalCode(), b.debtorFiscalCode())
                && Objects.equals(a.payeeName(), b.payeeName()) && Objects.equals(a.pspName(), b.pspName())
                && Objects.equals(a.paymentMethod(), b.paymentMethod()) && Objects.equals(a.fee(), b.fee());
    }

    @Override
    public Optional<StoredReceipt> find(String receiptId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ReceiptItems.receiptKey(receiptId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ReceiptItems.fromItem(item));
    }

    /**
     * Records the message in its notice's partition (an idempotent put), then reads the notice's
     * receipts there, strongly consistent: the earliest paid, if any.
     */
    @Override
    public Optional<Paid> register(String rptId, String messageId, String fiscalCode) {
        dynamo.putItem(b -> b.tableName(table).item(ReceiptItems.noticeMessageItem(rptId, messageId, fiscalCode)));
        return noticeItems(rptId, ReceiptItems.NOTICE_RECEIPT_PREFIX).stream()
                .map(item -> new Paid(string(item, ReceiptItems.RECEIPT_ID),
                        Timestamps.parse(string(item, ReceiptItems.PAID_AT)), longValue(item, ReceiptItems.AMOUNT)))
                .min(java.util.Comparator.comparing(Paid::paidAt).thenComparing(Paid::receiptId));
    }

    /** The messages recorded in the notice's partition, read strongly consistent. */
    @Override
    public List<NoticeMessage> messagesOf(String rptId) {
        return noticeItems(rptId, ReceiptItems.NOTICE_MESSAGE_PREFIX).stream()
                .map(item -> new NoticeMessage(string(item, ReceiptItems.MESSAGE_ID), string(item, ReceiptItems.FISCAL_CODE)))
                .toList();
    }

    private List<Map<String, AttributeValue>> noticeItems(String rptId, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", ReceiptItems.PK, "#sk", ReceiptItems.SK))
                    .expressionAttributeValues(Map.of(":pk", ReceiptItems.noticeKey(rptId), ":prefix", s(prefix)))
                    .consistentRead(true)
                    .exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * Records the message the receipt paid: its id and subject, the notice's amount and whether the
     * amount paid differs. Once: a receipt that already names a message keeps it.
     */
    @Override
    public void attach(Paid receipt, PaymentMarks.Mark message) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", ReceiptItems.PK, "#message", ReceiptItems.MESSAGE_ID));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":message", s(message.messageId())));
        StringBuilder set = new StringBuilder("SET #message = :message");
        if (message.title() != null) {
            set.append(", #subject = :subject");
            names.put("#subject", ReceiptItems.SUBJECT);
            values.put(":subject", s(message.title()));
        }
        if (message.paymentAmount() != null) {
            set.append(", #expected = :expected, #mismatch = :mismatch");
            names.put("#expected", ReceiptItems.EXPECTED_AMOUNT);
            names.put("#mismatch", ReceiptItems.AMOUNT_MISMATCH);
            values.put(":expected", n(message.paymentAmount()));
            values.put(":mismatch", bool(message.paymentAmount() != receipt.amount()));
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(ReceiptItems.receiptKey(receipt.receiptId()))
                    .updateExpression(set.toString())
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#message)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Attached before (a replay, or another message of the same notice first).
        }
    }
}
