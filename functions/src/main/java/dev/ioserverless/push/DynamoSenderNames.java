package dev.ioserverless.push;

import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sending service's display name from {@code SERVICES_TABLE} (key {@code service_id}):
 * "{@code organization_name} - {@code service_name}", as IO shows a sender. Reads only those two
 * attributes.
 */
public final class DynamoSenderNames implements SenderNames {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSenderNames(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> nameOf(String serviceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("service_id", s(serviceId)))
                .projectionExpression("#org, #svc")
                .expressionAttributeNames(Map.of("#org", "organization_name", "#svc", "service_name"))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> organization = optString(item, "organization_name").filter(v -> !v.isBlank());
        Optional<String> service = optString(item, "service_name").filter(v -> !v.isBlank());
        if (organization.isPresent() && service.isPresent()) {
            return Optional.of(organization.get() + " - " + service.get());
        }
        return service.or(() -> organization);
    }
}
