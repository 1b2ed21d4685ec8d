package dev.ioserverless.profiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.api.Citizen;
import dev.ioserverless.common.Json;
import java.util.Optional;

/**
 * IO's {@code InitializedProfile}, exactly its properties: the stored profile's preferences, and
 * who the citizen is from the token. A citizen with no stored profile reads
 * {@code has_profile: false}, {@code version: 0}, AUTO mode and every channel off: what the app
 * shows before the first {@code POST /profile}.
 */
final class InitializedProfileView {
    private InitializedProfileView() {
    }

    static ObjectNode of(Citizen citizen, Optional<Profile> stored) {
        return of(citizen, stored, false);
    }

    /** @param emailAlreadyTaken IO's {@code is_email_already_taken} ({@link EmailValidation#isAlreadyTaken}) */
    static ObjectNode of(Citizen citizen, Optional<Profile> stored, boolean emailAlreadyTaken) {
        ObjectNode json = Json.object();
        json.put("fiscal_code", citizen.fiscalCode());
        json.put("name", citizen.name());
        json.put("family_name", citizen.familyName());
        json.put("has_profile", stored.isPresent());
        if (stored.isEmpty()) {
            json.put("is_inbox_enabled", false);
            json.put("is_email_validated", false);
            json.put("is_email_enabled", false);
            json.put("is_email_already_taken", false);
            json.put("is_webhook_enabled", false);
            json.putObject("service_preferences_settings").put("mode", ServicePreferencesMode.AUTO.name());
            json.put("version", 0);
            return json;
        }
        Profile profile = stored.get();
        json.put("is_inbox_enabled", profile.isInboxEnabled());
        if (profile.email() != null) {
            json.put("email", profile.email());
        }
        json.put("is_email_validated", profile.isEmailValidated());
        json.put("is_email_enabled", profile.isEmailEnabled());
        json.put("is_email_already_taken", emailAlreadyTaken);
        json.put("is_webhook_enabled", profile.isWebhookEnabled());
        if (profile.acceptedTosVersion() != null) {
            json.put("accepted_tos_version", profile.acceptedTosVersion());
        }
        if (!profile.preferredLanguages().isEmpty()) {
            ArrayNode languages = json.putArray("preferred_languages");
            profile.preferredLanguages().forEach(languages::add);
        }
        if (profile.servicePreferencesMode() == ServicePreferencesMode.LEGACY && !profile.blockedInboxOrChannels().isEmpty()) {
            ObjectNode blocked = json.putObject("blocked_inbox_or_channels");
            profile.blockedInboxOrChannels().forEach((serviceId, channels) -> {
                ArrayNode list = blocked.putArray(serviceId);
                channels.stream().map(Enum::name).sorted().forEach(list::add);
            });
        }
        if (profile.reminderStatus() != null) {
            json.put("reminder_status", profile.reminderStatus());
        }
        if (profile.pushNotificationsContentType() != null) {
            json.put("push_notifications_content_type", profile.pushNotificationsContentType());
        }
        json.putObject("service_preferences_settings").put("mode", profile.servicePreferencesMode().name());
        json.put("version", profile.version());
        return json;
    }
}
