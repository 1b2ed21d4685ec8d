package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.s;

import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Whether a service exists in {@code SERVICES_TABLE} (key {@code service_id}): one key-only GetItem. */
public final class DynamoServiceExistence implements Predicate<String> {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoServiceExistence(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean test(String serviceId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("service_id", s(serviceId)))
                .projectionExpression("service_id")).item();
        return item != null && !item.isEmpty();
    }
}
