package dev.ioserverless.services;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;
import static dev.ioserverless.common.DynamoAttributes.stringList;

import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Timestamps;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Services in {@code SERVICES_TABLE} (key {@code service_id}) and API keys in
 * {@code API_KEYS_TABLE} (key {@code key_hash}, the SHA-256 hex of the clear key, with
 * {@code service_id}, {@code slot} and {@code created_at}). Clear keys are never stored.
 */
public final class DynamoServiceStore implements ServiceStore {
    private final DynamoDbClient dynamo;
    private final String servicesTable;
    private final String apiKeysTable;
    private final Clock clock;

    public DynamoServiceStore(DynamoDbClient dynamo, String servicesTable, String apiKeysTable) {
        this(dynamo, servicesTable, apiKeysTable, Clock.systemUTC());
    }

    public DynamoServiceStore(DynamoDbClient dynamo, String servicesTable, String apiKeysTable, Clock clock) {
        this.dynamo = dynamo;
        this.servicesTable = servicesTable;
        this.apiKeysTable = apiKeysTable;
        this.clock = clock;
    }

    @Override
    public Optional<Service> findByApiKeyHash(String keyHash) {
        Map<String, AttributeValue> key = dynamo.getItem(b -> b.tableName(apiKeysTable)
                .key(Map.of("key_hash", s(keyHash)))).item();
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return optString(key, "service_id").flatMap(this::find);
    }

    @Override
    public Optional<Service> find(String serviceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(servicesTable)
                .key(Map.of("service_id", s(serviceId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void save(Service service) {
        service.requireValid();
        dynamo.putItem(b -> b.tableName(servicesTable).item(toItem(service)));
    }

    @Override
    public void saveApiKey(String serviceId, ApiKeySlot slot, String clearKey) {
        if (clearKey == null || clearKey.isBlank()) {
            throw new IllegalArgumentException("API key: required");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("key_hash", s(Hashing.sha256Hex(clearKey.strip())));
        item.put("service_id", s(serviceId));
        item.put("slot", s(slot.value()));
        item.put("created_at", s(Timestamps.format(clock.instant())));
        dynamo.putItem(b -> b.tableName(apiKeysTable).item(item));
    }

    static Map<String, AttributeValue> toItem(Service service) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("service_id", s(service.serviceId()));
        item.put("service_name", s(service.serviceName()));
        item.put("department_name", s(service.departmentName()));
        item.put("organization_name", s(service.organizationName()));
        item.put("organization_fiscal_code", s(service.organizationFiscalCode()));
        item.put("groups", stringList(service.groups().stream().sorted().map(Enum::name).toList()));
        item.put("authorized_recipients", stringList(service.authorizedRecipients().stream().sorted().toList()));
        item.put("authorized_cidrs", stringList(service.authorizedCidrs()));
        item.put("max_allowed_payment_amount", n(service.maxAllowedPaymentAmount()));
        item.put("rate_limit", n(service.rateLimit()));
        return item;
    }

    static Service fromItem(Map<String, AttributeValue> item) {
        Set<ServiceGroup> groups = EnumSet.noneOf(ServiceGroup.class);
        for (String name : stringList(item, "groups")) {
            ServiceGroup.fromName(name).ifPresent(groups::add);
        }
        return new Service(
                string(item, "service_id"),
                optString(item, "service_name").orElse(""),
                optString(item, "department_name").orElse(""),
                optString(item, "organization_name").orElse(""),
                optString(item, "organization_fiscal_code").orElse(""),
                groups,
                Set.copyOf(stringList(item, "authorized_recipients")),
                stringList(item, "authorized_cidrs"),
                optLong(item, "max_allowed_payment_amount").orElse(Service.DEFAULT_MAX_ALLOWED_PAYMENT_AMOUNT),
                optLong(item, "rate_limit").map(Long::intValue).orElse(Service.DEFAULT_RATE_LIMIT));
    }
}
