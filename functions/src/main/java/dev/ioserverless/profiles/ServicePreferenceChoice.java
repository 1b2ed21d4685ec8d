package dev.ioserverless.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The citizen's per-service preference as IO's app reads and writes it ({@code ServicePreference}
 * / {@code UpsertServicePreference}), and its rules. Plain Java.
 *
 * <ul>
 *   <li>In LEGACY mode there are no per-service preferences: reading or writing one is a 409.
 *   <li>A write must name the profile's current {@code settings_version} (409 otherwise): a
 *       preference made under earlier settings would be void.
 *   <li>Without a current stored preference the answer is what the mode implies: AUTO allows
 *       everything, MANUAL nothing.
 *   <li>{@code can_access_message_read_status} maps to ALLOW / DENY, and to UNKNOWN when left out.
 * </ul>
 */
public final class ServicePreferenceChoice {
    private ServicePreferenceChoice() {
    }

    /** What the citizen reads for the service; 409 in LEGACY mode. */
    public static ObjectNode view(Profile profile, String serviceId, Optional<ServicePreference> stored) {
        requireNotLegacy(profile);
        ServicePreference effective = stored.filter(p -> p.isCurrentFor(profile))
                .orElseGet(() -> byMode(profile, serviceId));
        return toJson(effective);
    }

    /** The preference a write asks for; 400 for a bad body, 409 in LEGACY mode or for another settings version. */
    public static ServicePreference upsert(Profile profile, String serviceId, JsonNode body) {
        List<String> errors = new ArrayList<>();
        boolean inbox = requiredBoolean(body, "is_inbox_enabled", errors);
        boolean email = requiredBoolean(body, "is_email_enabled", errors);
        boolean webhook = requiredBoolean(body, "is_webhook_enabled", errors);
        JsonNode version = body.get("settings_version");
        if (version == null || !version.isIntegralNumber() || version.asLong() < 0 || version.asLong() > Integer.MAX_VALUE) {
            errors.add("settings_version: required, an integer of at least 0 (the profile's current settings version)");
        }
        AccessReadMessageStatus access = AccessReadMessageStatus.UNKNOWN;
        JsonNode readStatus = body.get("can_access_message_read_status");
        if (readStatus != null && !readStatus.isNull()) {
            if (!readStatus.isBoolean()) {
                errors.add("can_access_message_read_status: must be true or false");
            } else {
                access = readStatus.asBoolean() ? AccessReadMessageStatus.ALLOW : AccessReadMessageStatus.DENY;
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        requireNotLegacy(profile);
        if (version.asInt() != profile.servicePreferencesVersion()) {
            throw ProfileUpdate.conflict("settings_version: " + version.asInt() + " is not the profile's current settings version "
                    + profile.servicePreferencesVersion() + "; read the preference again");
        }
        return new ServicePreference(profile.fiscalCode(), serviceId, inbox, email, webhook, version.asInt(), access)
                .requireValid();
    }

    static ObjectNode toJson(ServicePreference preference) {
        ObjectNode json = Json.object();
        json.put("is_email_enabled", preference.isEmailEnabled());
        json.put("is_inbox_enabled", preference.isInboxEnabled());
        json.put("is_webhook_enabled", preference.isWebhookEnabled());
        json.put("settings_version", preference.settingsVersion());
        json.put("can_access_message_read_status", preference.accessReadMessageStatus().allows());
        return json;
    }

    private static ServicePreference byMode(Profile profile, String serviceId) {
        boolean on = profile.servicePreferencesMode() == ServicePreferencesMode.AUTO;
        return new ServicePreference(profile.fiscalCode(), serviceId, on, on, on, profile.servicePreferencesVersion(),
                on ? AccessReadMessageStatus.ALLOW : AccessReadMessageStatus.DENY);
    }

    private static void requireNotLegacy(Profile profile) {
        if (profile.servicePreferencesMode() == ServicePreferencesMode.LEGACY) {
            throw ProfileUpdate.conflict("service_preferences_settings.mode: the profile is in LEGACY mode, which has no "
                    + "per-service preferences; choose AUTO or MANUAL first");
        }
    }

    private static boolean requiredBoolean(JsonNode body, String field, List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null || !node.isBoolean()) {
            errors.add(field + ": required, true or false");
            return false;
        }
        return node.asBoolean();
    }
}
