package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * Whether a citizen lets a service's pushes reach their phone, as IO decides it:
 *
 * <ul>
 *   <li>push notifications off on the profile ({@code is_webhook_enabled} false): none at all;
 *   <li>in LEGACY mode, WEBHOOK among the profile's {@code blocked_inbox_or_channels} for the
 *       service: none from it;
 *   <li>in AUTO and MANUAL mode, a current service preference (its {@code settings_version} the
 *       profile's {@code service_preferences_version}) with {@code is_webhook_enabled} false: none
 *       from it. A stale preference counts as absent.
 * </ul>
 *
 * A message the citizen's inbox accepts may still reach them without a push.
 */
public final class PushConsent {
    private PushConsent() {
    }

    public enum Outcome {
        ALLOWED,
        PUSH_OFF,
        PUSH_BLOCKED
    }

    public static Outcome decide(Profile profile, String serviceId, Optional<ServicePreference> maybePreference) {
        if (!profile.isWebhookEnabled()) {
            return Outcome.PUSH_OFF;
        }
        if (profile.servicePreferencesMode() == ServicePreferencesMode.LEGACY) {
            return profile.blockedChannelsFor(serviceId).contains(BlockedInboxOrChannel.WEBHOOK)
                    ? Outcome.PUSH_BLOCKED : Outcome.ALLOWED;
        }
        boolean blocked = maybePreference
                .filter(preference -> preference.serviceId().equals(serviceId))
                .filter(preference -> preference.isCurrentFor(profile))
                .map(preference -> !preference.isWebhookEnabled())
                .orElse(false);
        return blocked ? Outcome.PUSH_BLOCKED : Outcome.ALLOWED;
    }
}
