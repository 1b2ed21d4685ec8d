package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;
import static dev.ioserverless.common.DynamoAttributes.stringList;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Profiles in {@code PROFILES_TABLE}, key {@code fiscal_code}. */
public final class DynamoProfileStore implements ProfileStore {
    static final String EMAIL = "email";
    static final String IS_EMAIL_VALIDATED = "is_email_validated";
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoProfileStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Profile> find(String fiscalCode) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("fiscal_code", s(fiscalCode)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public void save(Profile profile) {
        profile.requireValid();
        dynamo.putItem(b -> b.tableName(table).item(toItem(profile)));
    }

    @Override
    public void replace(Profile profile, long expectedVersion, boolean exists) {
        profile.requireValid();
        try {
            if (exists) {
                dynamo.putItem(b -> b.tableName(table).item(toItem(profile))
                        .conditionExpression("#version = :expected")
                        .expressionAttributeNames(Map.of("#version", "version"))
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion))));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(toItem(profile))
                        .conditionExpression("attribute_not_exists(#fc)")
                        .expressionAttributeNames(Map.of("#fc", "fiscal_code")));
            }
        } catch (ConditionalCheckFailedException e) {
            throw new StaleVersionException();
        }
    }

    @Override
    public boolean markEmailValidated(String fiscalCode, String email, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("fiscal_code", s(fiscalCode)))
                    .updateExpression("SET #validated = :true, #updated = :now ADD #version :one")
                    .conditionExpression("#email = :email")
                    .expressionAttributeNames(Map.of("#validated", IS_EMAIL_VALIDATED, "#email", EMAIL,
                            "#updated", "updated_at", "#version", "version"))
                    .expressionAttributeValues(Map.of(":true", bool(true), ":email", s(email),
                            ":now", s(Timestamps.format(now)), ":one", n(1))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Map<String, AttributeValue> toItem(Profile profile) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("fiscal_code", s(profile.fiscalCode()));
        item.put("is_inbox_enabled", bool(profile.isInboxEnabled()));
        if (profile.acceptedTosVersion() != null) {
            item.put("accepted_tos_version", n(profile.acceptedTosVersion()));
        }
        item.put("preferred_languages", stringList(profile.preferredLanguages()));
        item.put("service_preferences_mode", s(profile.servicePreferencesMode().name()));
        item.put("service_preferences_version", n(profile.servicePreferencesVersion()));
        Map<String, AttributeValue> blocked = new TreeMap<>();
        profile.blockedInboxOrChannels().forEach((serviceId, channels) ->
                blocked.put(serviceId, stringList(channels.stream().sorted().map(Enum::name).toList())));
        item.put("blocked_inbox_or_channels", AttributeValue.builder().m(blocked).build());
        item.put("created_at", s(Timestamps.format(profile.createdAt())));
        item.put("updated_at", s(Timestamps.format(profile.updatedAt())));
        item.put("version", n(profile.version()));
        item.put("is_webhook_enabled", bool(profile.isWebhookEnabled()));
        item.put("is_email_enabled", bool(profile.isEmailEnabled()));
        if (profile.reminderStatus() != null) {
            item.put("reminder_status", s(profile.reminderStatus()));
        }
        if (profile.pushNotificationsContentType() != null) {
            item.put("push_notifications_content_type", s(profile.pushNotificationsContentType()));
        }
        if (profile.email() != null) {
            item.put(EMAIL, s(profile.email()));
        }
        item.put(IS_EMAIL_VALIDATED, bool(profile.isEmailValidated()));
        return item;
    }

    static Profile fromItem(Map<String, AttributeValue> item) {
        ServicePreferencesMode mode = optString(item, "service_preferences_mode")
                .flatMap(ServicePreferencesMode::fromName)
                .orElse(ServicePreferencesMode.LEGACY);
        Map<String, Set<BlockedInboxOrChannel>> blocked = new LinkedHashMap<>();
        AttributeValue blockedValue = item.get("blocked_inbox_or_channels");
        if (blockedValue != null && blockedValue.hasM()) {
            blockedValue.m().forEach((serviceId, channels) -> {
                Set<BlockedInboxOrChannel> set = EnumSet.noneOf(BlockedInboxOrChannel.class);
                for (String name : stringList(channels)) {
                    BlockedInboxOrChannel.fromName(name).ifPresent(set::add);
                }
                blocked.put(serviceId, set);
            });
        }
        Instant createdAt = optString(item, "created_at").map(Timestamps::parse).orElse(Instant.EPOCH);
        return new Profile(
                string(item, "fiscal_code"),
                optBool(item, "is_inbox_enabled").orElse(false),
                optLong(item, "accepted_tos_version").map(Long::intValue).orElse(null),
                stringList(item, "preferred_languages"),
                mode,
                optLong(item, "service_preferences_version").map(Long::intValue)
                        .orElse(ServicePreferencesMode.LEGACY_VERSION),
                blocked,
                createdAt,
                optString(item, "updated_at").map(Timestamps::parse).orElse(createdAt),
                optLong(item, "version").orElse(0L),
                optBool(item, "is_webhook_enabled").orElse(optBool(item, "is_inbox_enabled").orElse(false)),
                optBool(item, "is_email_enabled").orElse(true),
                optString(item, "reminder_status").orElse(null),
                optString(item, "push_notifications_content_type").orElse(null),
                optString(item, EMAIL).orElse(null),
                optBool(item, IS_EMAIL_VALIDATED).orElse(false));
    }
}
