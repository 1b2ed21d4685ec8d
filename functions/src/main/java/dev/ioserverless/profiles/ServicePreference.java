package dev.ioserverless.profiles;

import dev.ioserverless.common.FiscalCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A citizen's choice for one service in AUTO or MANUAL mode. It is current only while
 * {@code settingsVersion} equals the profile's {@code servicePreferencesVersion}; a citizen who
 * changes mode gets a new version, which makes every older preference stale.
 *
 * @param accessReadMessageStatus whether the service may know if the citizen read its messages
 *     ({@link ReadStatusSharing}); stored as {@code access_read_message_status}, ALLOW when absent
 */
public record ServicePreference(
        String fiscalCode,
        String serviceId,
        boolean isInboxEnabled,
        boolean isEmailEnabled,
        boolean isWebhookEnabled,
        int settingsVersion,
        AccessReadMessageStatus accessReadMessageStatus) {

    public ServicePreference {
        accessReadMessageStatus = accessReadMessageStatus == null ? AccessReadMessageStatus.ALLOW : accessReadMessageStatus;
    }

    /** A preference that leaves read status shared (ALLOW). */
    public ServicePreference(String fiscalCode, String serviceId, boolean isInboxEnabled, boolean isEmailEnabled,
                             boolean isWebhookEnabled, int settingsVersion) {
        this(fiscalCode, serviceId, isInboxEnabled, isEmailEnabled, isWebhookEnabled, settingsVersion,
                AccessReadMessageStatus.ALLOW);
    }

    /** True when this preference belongs to the profile's current settings. */
    public boolean isCurrentFor(Profile profile) {
        return profile.fiscalCode().equals(fiscalCode) && profile.servicePreferencesVersion() == settingsVersion;
    }

    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (!FiscalCode.isValid(fiscalCode)) {
            errors.add("fiscal_code: must be a valid fiscal code");
        }
        if (serviceId == null || serviceId.isBlank()) {
            errors.add("service_id: required");
        }
        if (settingsVersion < 0) {
            errors.add("settings_version: must not be negative");
        }
        return errors;
    }

    public ServicePreference requireValid() {
        List<String> errors = validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid service preference: " + String.join("; ", errors));
        }
        return this;
    }
}
