package dev.ioserverless.payments;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.s;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The citizen's receipts over {@code RECEIPTS_TABLE} (layout in {@link ReceiptItems}). A page is
 * one Query of the citizen's own key ({@code pk = CITIZEN#<fiscal code>}, range keys starting
 * {@code RECEIPT#}), read backwards for newest first, that asks for one entry more than the page
 * holds so as to know whether another page follows. A receipt is one GetItem of its item.
 */
public final class DynamoCitizenReceipts implements CitizenReceipts {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoCitizenReceipts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static DynamoCitizenReceipts fromConfig(Config config) {
        return new DynamoCitizenReceipts(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE"));
    }

    @Override
    public ReceiptPage page(String fiscalCode, ReceiptQuery query) {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", ReceiptItems.PK);
        names.put("#sk", ReceiptItems.SK);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", ReceiptItems.citizenKey(fiscalCode));
        values.put(":entries", s(ReceiptItems.CITIZEN_ENTRY_PREFIX));
        List<String> filters = new ArrayList<>();
        if (query.isPayer() != null) {
            names.put("#payer", ReceiptItems.IS_PAYER);
            values.put(":payer", bool(query.isPayer()));
            filters.add("#payer = :payer");
        }
        if (query.isDebtor() != null) {
            names.put("#debtor", ReceiptItems.IS_DEBTOR);
            values.put(":debtor", bool(query.isDebtor()));
            filters.add("#debtor = :debtor");
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :entries)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(!query.newestFirst())
                .limit(query.size() + 1);
        if (!filters.isEmpty()) {
            request.filterExpression(String.join(" AND ", filters));
        }
        if (query.after() != null) {
            request.exclusiveStartKey(ReceiptItems.citizenEntryKey(fiscalCode, query.after()));
        }
        QueryResponse response = dynamo.query(request.build());

        List<ReceiptEntry> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            entries.add(ReceiptItems.entryFromItem(item));
        }
        if (entries.size() > query.size()) {
            List<ReceiptEntry> page = entries.subList(0, query.size());
            return new ReceiptPage(page, page.get(page.size() - 1).position());
        }
        // Fewer than asked for: the end of the list, unless the Query stopped early (a filter dropped
        // entries it read, or it reached DynamoDB's 1 MB a page), in which case it goes on from there.
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
        return new ReceiptPage(entries, more ? ReceiptItems.positionOf(response.lastEvaluatedKey()) : null);
    }

    @Override
    public Optional<StoredReceipt> find(String receiptId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ReceiptItems.receiptKey(receiptId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ReceiptItems.fromItem(item));
    }
}
