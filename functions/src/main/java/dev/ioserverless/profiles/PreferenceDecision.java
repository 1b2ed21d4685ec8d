package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * Whether a message from a service may reach a citizen's inbox, decided from the citizen's
 * profile and their preference for that service, as IO's ProcessMessage decides it:
 *
 * <ol>
 *   <li>No profile: the citizen is not on the platform, {@link Outcome#USER_NOT_FOUND}.
 *   <li>Inbox disabled on the profile: {@link Outcome#SERVICE_NOT_ALLOWED}.
 *   <li>LEGACY mode: not allowed when the profile's {@code blocked_inbox_or_channels} for the
 *       service contains INBOX; allowed otherwise. Service preference records are ignored.
 *   <li>AUTO mode: allowed, unless a current preference for the service turns the inbox off.
 *   <li>MANUAL mode: not allowed, unless a current preference for the service turns the inbox on.
 * </ol>
 *
 * A preference is current when its {@code settings_version} equals the profile's
 * {@code service_preferences_version}; a stale one counts as absent.
 *
 * <p>Terms of service: IO's ProcessMessage does not look at {@code accepted_tos_version}; a
 * profile's inbox flag is what a citizen (who accepts the terms in the app before enabling the
 * inbox) controls. This decision does the same, so a profile that never accepted the terms is
 * treated by its inbox flag and preferences alone.
 *
 * @param rule a short, stable name of the rule that decided, for logs and metrics
 */
public record PreferenceDecision(Outcome outcome, String rule) {

    public enum Outcome {
        /** The message may be delivered to the inbox. */
        DELIVER,
        /** The recipient has no profile. */
        USER_NOT_FOUND,
        /** The recipient's settings do not allow this service. */
        SERVICE_NOT_ALLOWED
    }

    public boolean allowsDelivery() {
        return outcome == Outcome.DELIVER;
    }

    /**
     * Whether {@link #decide} needs the service preference record for this profile: only in
     * AUTO and MANUAL mode with the inbox enabled. Callers can skip the lookup otherwise.
     */
    public static boolean needsServicePreference(Profile profile) {
        return profile.isInboxEnabled() && profile.servicePreferencesMode() != ServicePreferencesMode.LEGACY;
    }

    public static PreferenceDecision decide(
            Optional<Profile> maybeProfile, String serviceId, Optional<ServicePreference> maybePreference) {
        if (maybeProfile.isEmpty()) {
            return new PreferenceDecision(Outcome.USER_NOT_FOUND, "PROFILE_NOT_FOUND");
        }
        Profile profile = maybeProfile.get();
        if (!profile.isInboxEnabled()) {
            return new PreferenceDecision(Outcome.SERVICE_NOT_ALLOWED, "INBOX_DISABLED");
        }
        Optional<ServicePreference> current = maybePreference
                .filter(preference -> preference.serviceId().equals(serviceId))
                .filter(preference -> preference.isCurrentFor(profile));
        return switch (profile.servicePreferencesMode()) {
            case LEGACY -> profile.blockedChannelsFor(serviceId).contains(BlockedInboxOrChannel.INBOX)
                    ? new PreferenceDecision(Outcome.SERVICE_NOT_ALLOWED, "LEGACY_INBOX_BLOCKED")
                    : new PreferenceDecision(Outcome.DELIVER, "LEGACY_NOT_BLOCKED");
            case AUTO -> current.isPresent() && !current.get().isInboxEnabled()
                    ? new PreferenceDecision(Outcome.SERVICE_NOT_ALLOWED, "AUTO_INBOX_DISABLED")
                    : new PreferenceDecision(Outcome.DELIVER, current.isPresent() ? "AUTO_INBOX_ENABLED" : "AUTO_DEFAULT");
            case MANUAL -> current.isPresent() && current.get().isInboxEnabled()
                    ? new PreferenceDecision(Outcome.DELIVER, "MANUAL_INBOX_ENABLED")
                    : new PreferenceDecision(Outcome.SERVICE_NOT_ALLOWED,
                            current.isPresent() ? "MANUAL_INBOX_DISABLED" : "MANUAL_NO_PREFERENCE");
        };
    }
}
