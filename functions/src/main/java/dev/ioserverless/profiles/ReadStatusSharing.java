package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * Whether a citizen shares the read status of their messages with a service, as IO decides it
 * from the service preference's {@code access_read_message_status}:
 *
 * <ol>
 *   <li>No profile: not shared (there is no citizen whose choice could allow it).
 *   <li>LEGACY mode: shared (no per-service preferences exist in that mode).
 *   <li>AUTO or MANUAL mode: shared unless the current preference for the service says DENY;
 *       no preference, or a stale one, shares (IO's default ALLOW).
 * </ol>
 */
public final class ReadStatusSharing {
    private ReadStatusSharing() {
    }

    /** Whether {@link #isShared} needs the service preference: only in AUTO and MANUAL mode. */
    public static boolean needsServicePreference(Profile profile) {
        return profile.servicePreferencesMode() != ServicePreferencesMode.LEGACY;
    }

    public static boolean isShared(Optional<Profile> maybeProfile, String serviceId,
                                   Optional<ServicePreference> maybePreference) {
        if (maybeProfile.isEmpty()) {
            return false;
        }
        Profile profile = maybeProfile.get();
        if (!needsServicePreference(profile)) {
            return true;
        }
        return maybePreference
                .filter(preference -> preference.serviceId().equals(serviceId))
                .filter(preference -> preference.isCurrentFor(profile))
                .map(preference -> preference.accessReadMessageStatus().allows())
                .orElse(true);
    }
}
