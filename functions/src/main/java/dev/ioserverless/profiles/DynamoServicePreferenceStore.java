package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Service preferences in {@code SERVICE_PREFERENCES_TABLE}, key ({@code fiscal_code},
 * {@code service_id}). A missing channel flag reads as enabled, IO's default; a missing (or
 * unknown) {@code access_read_message_status} as ALLOW.
 */
public final class DynamoServicePreferenceStore implements ServicePreferenceStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoServicePreferenceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ServicePreference> find(String fiscalCode, String serviceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("fiscal_code", s(fiscalCode), "service_id", s(serviceId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void save(ServicePreference preference) {
        preference.requireValid();
        dynamo.putItem(b -> b.tableName(table).item(toItem(preference)));
    }

    static Map<String, AttributeValue> toItem(ServicePreference preference) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("fiscal_code", s(preference.fiscalCode()));
        item.put("service_id", s(preference.serviceId()));
        item.put("is_inbox_enabled", bool(preference.isInboxEnabled()));
        item.put("is_email_enabled", bool(preference.isEmailEnabled()));
        item.put("is_webhook_enabled", bool(preference.isWebhookEnabled()));
        item.put("settings_version", n(preference.settingsVersion()));
        item.put("access_read_message_status", s(preference.accessReadMessageStatus().name()));
        return item;
    }

    static ServicePreference fromItem(Map<String, AttributeValue> item) {
        return new ServicePreference(
                string(item, "fiscal_code"),
                string(item, "service_id"),
                optBool(item, "is_inbox_enabled").orElse(true),
                optBool(item, "is_email_enabled").orElse(true),
                optBool(item, "is_webhook_enabled").orElse(true),
                optLong(item, "settings_version").map(Long::intValue).orElse(-1),
                optString(item, "access_read_message_status").flatMap(AccessReadMessageStatus::fromName)
                        .orElse(AccessReadMessageStatus.ALLOW));
    }
}
