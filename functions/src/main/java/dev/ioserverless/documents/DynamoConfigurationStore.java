package dev.ioserverless.documents;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;
import static dev.ioserverless.common.DynamoAttributes.stringList;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.HasPrecondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The configurations in {@code REMOTE_CONTENT_CONFIGURATIONS_TABLE}: one item per configuration
 * (key {@code id}), each environment a map ({@code base_url}, {@code header_key_name},
 * {@code sealed_key}, {@code type}, {@code test_users}); its {@link #BY_SERVICE} index
 * ({@code service_id}, {@code id}) lists a service's own. Writes are conditional on the owner, so
 * one service never replaces or retires another's.
 */
public final class DynamoConfigurationStore implements ConfigurationStore {
    public static final String BY_SERVICE = "by-service";
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoConfigurationStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(RemoteContentConfiguration configuration) {
        dynamoDb.putItem(b -> b.tableName(table).item(item(configuration))
                .conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public boolean replace(RemoteContentConfiguration configuration) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item(configuration))
                    .conditionExpression("service_id = :service AND attribute_not_exists(retired_at)")
                    .expressionAttributeValues(Map.of(":service", s(configuration.serviceId()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean retire(String serviceId, String id, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", s(id)))
                    .updateExpression("SET retired_at = :at")
                    .conditionExpression("service_id = :service AND attribute_not_exists(retired_at)")
                    .expressionAttributeValues(Map.of(":service", s(serviceId), ":at", s(Timestamps.format(at)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<RemoteContentConfiguration> find(String id) {
        var item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("id", s(id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(configuration(item));
    }

    @Override
    public List<RemoteContentConfiguration> ofService(String serviceId) {
        List<RemoteContentConfiguration> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(table).indexName(BY_SERVICE)
                    .keyConditionExpression("service_id = :service")
                    .expressionAttributeValues(Map.of(":service", s(serviceId)))
                    .exclusiveStartKey(from));
            page.items().stream().map(DynamoConfigurationStore::configuration)
                    .filter(c -> !c.retired()).forEach(found::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    static Map<String, AttributeValue> item(RemoteContentConfiguration c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(c.id()));
        item.put("service_id", s(c.serviceId()));
        item.put("name", s(c.name()));
        item.put("description", s(c.description()));
        item.put("has_precondition", s(c.hasPrecondition().name()));
        item.put("disable_lollipop_for", AttributeValue.fromL(c.disableLollipopFor().stream().map(v -> s(v)).toList()));
        item.put("is_lollipop_enabled", bool(c.lollipopEnabled()));
        if (c.prod() != null) {
            item.put("prod_environment", environment(c.prod()));
        }
        if (c.test() != null) {
            item.put("test_environment", environment(c.test()));
        }
        item.put("created_at", s(Timestamps.format(c.createdAt())));
        item.put("updated_at", s(Timestamps.format(c.updatedAt())));
        if (c.retiredAt() != null) {
            item.put("retired_at", s(Timestamps.format(c.retiredAt())));
        }
        return item;
    }

    private static AttributeValue environment(RemoteContentConfiguration.Environment e) {
        return AttributeValue.fromM(Map.of(
                "base_url", s(e.baseUrl()),
                "header_key_name", s(e.headerName()),
                "sealed_key", s(e.sealedKey()),
                "type", s(e.authenticationType()),
                "test_users", AttributeValue.fromL(e.testUsers().stream().map(v -> s(v)).toList())));
    }

    static RemoteContentConfiguration configuration(Map<String, AttributeValue> item) {
        return new RemoteContentConfiguration(
                string(item, "id"),
                string(item, "service_id"),
                string(item, "name"),
                string(item, "description"),
                HasPrecondition.fromName(string(item, "has_precondition")).orElse(HasPrecondition.NEVER),
                list(item.get("disable_lollipop_for")),
                optBool(item, "is_lollipop_enabled").orElse(false),
                environment(item.get("prod_environment")),
                environment(item.get("test_environment")),
                Timestamps.parse(string(item, "created_at")),
                Timestamps.parse(string(item, "updated_at")),
                optString(item, "retired_at").map(Timestamps::parse).orElse(null));
    }

    private static RemoteContentConfiguration.Environment environment(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new RemoteContentConfiguration.Environment(string(m, "base_url"), string(m, "header_key_name"),
                string(m, "sealed_key"), string(m, "type"), list(m.get("test_users")));
    }

    private static List<String> list(AttributeValue value) {
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }
}
