package dev.ioserverless.inbox;

import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Senders from {@code SERVICES_TABLE} (key {@code service_id}): one BatchGetItem for a page's
 * distinct services (at most 100, DynamoDB's limit for one call), reading only the three names, and
 * asking again for any keys DynamoDB leaves unprocessed.
 */
public final class DynamoSenders implements Senders {
    private static final int MAX_BATCH = 100;
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSenders(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<String, Sender> find(Collection<String> serviceIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(serviceIds));
        Map<String, Sender> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += MAX_BATCH) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + MAX_BATCH)).stream()
                    .map(id -> Map.of("service_id", s(id))).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys)
                    .projectionExpression("#id, #svc, #org, #orgfc")
                    .expressionAttributeNames(Map.of("#id", "service_id", "#svc", "service_name",
                            "#org", "organization_name", "#orgfc", "organization_fiscal_code")).build());
            for (int attempt = 0; attempt < ATTEMPTS && !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(asked));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    found.put(string(item, "service_id"), new Sender(
                            optString(item, "service_name").orElse(""),
                            optString(item, "organization_name").orElse(""),
                            optString(item, "organization_fiscal_code").orElse("")));
                }
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    pause(attempt);
                }
            }
            if (!request.isEmpty()) {
                throw new IllegalStateException("services: DynamoDB left keys unprocessed " + ATTEMPTS + " times");
            }
        }
        return found;
    }

    /** Backs off before asking for unprocessed keys again (they are left when the table is throttled). */
    private static void pause(int attempt) {
        try {
            Thread.sleep(25L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
