package dev.ioserverless.profiles;

import dev.ioserverless.common.FiscalCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A citizen's profile: whether their inbox is on, which terms of service they accepted, and how
 * their per-service preferences work.
 *
 * @param acceptedTosVersion the version of the terms of service accepted, or null if never
 * @param servicePreferencesVersion the version of the current service preferences settings;
 *     a {@link ServicePreference} counts only while its {@code settingsVersion} equals it.
 *     {@link ServicePreferencesMode#LEGACY_VERSION} in LEGACY mode.
 * @param blockedInboxOrChannels per service id, the channels blocked in LEGACY mode
 * @param version the profile's own revision, incremented on every update
 * @param isWebhookEnabled whether push notifications (IO's "webhook" channel) are on
 * @param isEmailEnabled whether email notifications are on (IO reads an unset value as on)
 * @param reminderStatus IO's {@code reminder_status}, ENABLED or DISABLED; null when never set
 * @param pushNotificationsContentType IO's {@code push_notifications_content_type}, FULL or
 *     ANONYMOUS; null when never set
 * @param email the citizen's email address (IO's {@code email}), or null when never given
 * @param isEmailValidated whether the citizen proved they read {@code email} (IO's
 *     {@code is_email_validated}); only then does it count ({@link #validatedEmail()})
 */
public record Profile(
        String fiscalCode,
        boolean isInboxEnabled,
        Integer acceptedTosVersion,
        List<String> preferredLanguages,
        ServicePreferencesMode servicePreferencesMode,
        int servicePreferencesVersion,
        Map<String, Set<BlockedInboxOrChannel>> blockedInboxOrChannels,
        Instant createdAt,
        Instant updatedAt,
        long version,
        boolean isWebhookEnabled,
        boolean isEmailEnabled,
        String reminderStatus,
        String pushNotificationsContentType,
        String email,
        boolean isEmailValidated) {

    /** A profile whose push channel follows its inbox and whose email channel is on, as IO sets them up. */
    public Profile(String fiscalCode, boolean isInboxEnabled, Integer acceptedTosVersion, List<String> preferredLanguages,
                   ServicePreferencesMode servicePreferencesMode, int servicePreferencesVersion,
                   Map<String, Set<BlockedInboxOrChannel>> blockedInboxOrChannels, Instant createdAt, Instant updatedAt,
                   long version) {
        this(fiscalCode, isInboxEnabled, acceptedTosVersion, preferredLanguages, servicePreferencesMode,
                servicePreferencesVersion, blockedInboxOrChannels, createdAt, updatedAt, version, isInboxEnabled, true,
                null, null);
    }

    /** A profile with no email address. */
    public Profile(String fiscalCode, boolean isInboxEnabled, Integer acceptedTosVersion, List<String> preferredLanguages,
                   ServicePreferencesMode servicePreferencesMode, int servicePreferencesVersion,
                   Map<String, Set<BlockedInboxOrChannel>> blockedInboxOrChannels, Instant createdAt, Instant updatedAt,
                   long version, boolean isWebhookEnabled, boolean isEmailEnabled, String reminderStatus,
                   String pushNotificationsContentType) {
        this(fiscalCode, isInboxEnabled, acceptedTosVersion, preferredLanguages, servicePreferencesMode,
                servicePreferencesVersion, blockedInboxOrChannels, createdAt, updatedAt, version, isWebhookEnabled,
                isEmailEnabled, reminderStatus, pushNotificationsContentType, null, false);
    }

    public Profile {
        isEmailValidated = isEmailValidated && email != null;
        preferredLanguages = preferredLanguages == null ? List.of() : List.copyOf(preferredLanguages);
        servicePreferencesMode = servicePreferencesMode == null ? ServicePreferencesMode.LEGACY : servicePreferencesMode;
        Map<String, Set<BlockedInboxOrChannel>> blocked = new LinkedHashMap<>();
        if (blockedInboxOrChannels != null) {
            blockedInboxOrChannels.forEach((serviceId, channels) -> blocked.put(serviceId,
                    channels == null || channels.isEmpty()
                            ? Set.of()
                            : Set.copyOf(EnumSet.copyOf(channels))));
        }
        blockedInboxOrChannels = Map.copyOf(blocked);
    }

    public boolean hasAcceptedTermsOfService() {
        return acceptedTosVersion != null;
    }

    /**
     * The address the email channel may write to: the profile's email once validated, and only
     * then. Empty when there is none or it is not validated.
     */
    public Optional<String> validatedEmail() {
        return isEmailValidated && email != null ? Optional.of(email) : Optional.empty();
    }

    /** The next revision of this profile, with its email validated (when it has one) as of {@code now}. */
    public Profile withEmailValidated(Instant now) {
        return new Profile(fiscalCode, isInboxEnabled, acceptedTosVersion, preferredLanguages, servicePreferencesMode,
                servicePreferencesVersion, blockedInboxOrChannels, createdAt, now, version + 1, isWebhookEnabled,
                isEmailEnabled, reminderStatus, pushNotificationsContentType, email, email != null);
    }

    /** The channels blocked for {@code serviceId} in LEGACY mode; empty when none. */
    public Set<BlockedInboxOrChannel> blockedChannelsFor(String serviceId) {
        return blockedInboxOrChannels.getOrDefault(serviceId, Set.of());
    }

    /** The reasons this profile must not be saved; empty when it is valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (!FiscalCode.isValid(fiscalCode)) {
            errors.add("fiscal_code: must be a valid fiscal code");
        }
        if (acceptedTosVersion != null && acceptedTosVersion < 0) {
            errors.add("accepted_tos_version: must not be negative");
        }
        if (servicePreferencesMode != ServicePreferencesMode.LEGACY && servicePreferencesVersion < 0) {
            errors.add("service_preferences_version: must not be negative in " + servicePreferencesMode + " mode");
        }
        if (createdAt == null) {
            errors.add("created_at: required");
        }
        if (updatedAt == null) {
            errors.add("updated_at: required");
        }
        if (email != null && !EmailAddress.isValid(email)) {
            errors.add("email: must be an email address");
        }
        if (version < 0) {
            errors.add("version: must not be negative");
        }
        return errors;
    }

    public Profile requireValid() {
        List<String> errors = validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid profile: " + String.join("; ", errors));
        }
        return this;
    }
}
