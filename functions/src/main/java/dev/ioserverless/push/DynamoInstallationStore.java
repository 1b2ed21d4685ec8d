package dev.ioserverless.push;

import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Installations in {@code INSTALLATIONS_TABLE}, key ({@code fiscal_code} HASH,
 * {@code installation_id} RANGE), with {@code platform} ({@code apns}|{@code fcm}),
 * {@code push_channel} (the device token), {@code endpoint_arn}, {@code created_at} and
 * {@code updated_at}; the index {@code by-endpoint} ({@code endpoint_arn} HASH, keys only) that
 * finds the installations registered with an endpoint, and the index {@code by-installation}
 * ({@code installation_id} HASH, keys only) that finds who registered an installation id.
 */
public final class DynamoInstallationStore implements InstallationStore {
    public static final String BY_ENDPOINT_INDEX = "by-endpoint";
    public static final String BY_INSTALLATION_INDEX = "by-installation";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoInstallationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Installation> findAll(String fiscalCode) {
        List<Installation> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#fc = :fc")
                .expressionAttributeNames(Map.of("#fc", "fiscal_code"))
                .expressionAttributeValues(Map.of(":fc", s(fiscalCode)))
                .consistentRead(true))) {
            out.add(fromItem(item));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<Installation> find(String fiscalCode, String installationId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(fiscalCode, installationId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void save(Installation installation) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(installation)));
    }

    @Override
    public void delete(InstallationKey key) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(key.fiscalCode(), key.installationId())));
    }

    @Override
    public boolean deleteIfUnchanged(Installation installation) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(key(installation.fiscalCode(), installation.installationId()))
                    .conditionExpression("#arn = :arn AND #updated = :updated")
                    .expressionAttributeNames(Map.of("#arn", "endpoint_arn", "#updated", "updated_at"))
                    .expressionAttributeValues(Map.of(
                            ":arn", s(installation.endpointArn()),
                            ":updated", s(Timestamps.format(installation.updatedAt())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<InstallationKey> findByInstallationId(String installationId) {
        List<InstallationKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(QueryRequest.builder().tableName(table)
                .indexName(BY_INSTALLATION_INDEX)
                .keyConditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", "installation_id"))
                .expressionAttributeValues(Map.of(":id", s(installationId))))) {
            out.add(new InstallationKey(string(item, "fiscal_code"), string(item, "installation_id")));
        }
        return List.copyOf(out);
    }

    @Override
    public List<InstallationKey> findByEndpoint(String endpointArn) {
        List<InstallationKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(QueryRequest.builder().tableName(table)
                .indexName(BY_ENDPOINT_INDEX)
                .keyConditionExpression("#arn = :arn")
                .expressionAttributeNames(Map.of("#arn", "endpoint_arn"))
                .expressionAttributeValues(Map.of(":arn", s(endpointArn))))) {
            out.add(new InstallationKey(string(item, "fiscal_code"), string(item, "installation_id")));
        }
        return List.copyOf(out);
    }

    private List<Map<String, AttributeValue>> query(QueryRequest.Builder request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(request.exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static Map<String, AttributeValue> key(String fiscalCode, String installationId) {
        return Map.of("fiscal_code", s(fiscalCode), "installation_id", s(installationId));
    }

    static Map<String, AttributeValue> toItem(Installation installation) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("fiscal_code", s(installation.fiscalCode()));
        item.put("installation_id", s(installation.installationId()));
        item.put("platform", s(installation.platform().value()));
        item.put("push_channel", s(installation.pushChannel()));
        item.put("endpoint_arn", s(installation.endpointArn()));
        item.put("created_at", s(Timestamps.format(installation.createdAt())));
        item.put("updated_at", s(Timestamps.format(installation.updatedAt())));
        return item;
    }

    static Installation fromItem(Map<String, AttributeValue> item) {
        String platform = string(item, "platform");
        return new Installation(
                string(item, "fiscal_code"),
                string(item, "installation_id"),
                Platform.fromValue(platform)
                        .orElseThrow(() -> new IllegalStateException("installation has an unknown platform " + platform)),
                string(item, "push_channel"),
                string(item, "endpoint_arn"),
                Timestamps.parse(string(item, "created_at")),
                Timestamps.parse(string(item, "updated_at")));
    }
}
