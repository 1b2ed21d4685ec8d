package dev.ioserverless.reminders;

import dev.ioserverless.profiles.PreferenceDecision;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.PushConsent;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferencesMode;
import java.util.Optional;

/**
 * Whether a citizen lets a payment reminder from a service reach their phone, decided when the
 * reminder is due (so a change of mind counts from the next reminder on):
 *
 * <ol>
 *   <li>No profile: {@link Outcome#NO_PROFILE}.
 *   <li>{@code reminder_status} other than ENABLED (DISABLED, or never set, IO's UNSET):
 *       {@link Outcome#REMINDERS_OFF}.
 *   <li>The service may no longer write to the citizen's inbox, as processing decides it
 *       ({@link PreferenceDecision}): {@link Outcome#SERVICE_NOT_ALLOWED}.
 *   <li>Push notifications off, or the service's pushes blocked ({@link PushConsent}):
 *       {@link Outcome#PUSH_OFF}, {@link Outcome#PUSH_BLOCKED}. In detail, the service's pushes blocked: in LEGACY mode WEBHOOK among the profile's
 *       {@code blocked_inbox_or_channels} for the service; in AUTO and MANUAL mode a current
 *       service preference with {@code is_webhook_enabled} false. {@link Outcome#PUSH_BLOCKED}.
 *   <li>Otherwise {@link Outcome#ALLOWED}.
 * </ol>
 *
 * A preference is current when its {@code settings_version} is the profile's
 * {@code service_preferences_version}; a stale one counts as absent.
 */
public final class ReminderConsent {
    public static final String ENABLED = "ENABLED";

    public enum Outcome {
        ALLOWED,
        NO_PROFILE,
        REMINDERS_OFF,
        SERVICE_NOT_ALLOWED,
        PUSH_OFF,
        PUSH_BLOCKED
    }

    private ReminderConsent() {
    }

    /** Whether {@link #decide} needs the citizen's preference for the service: not in LEGACY mode, nor with reminders off. */
    public static boolean needsServicePreference(Profile profile) {
        return ENABLED.equals(profile.reminderStatus()) && profile.servicePreferencesMode() != ServicePreferencesMode.LEGACY;
    }

    public static Outcome decide(Optional<Profile> maybeProfile, String serviceId, Optional<ServicePreference> maybePreference) {
        if (maybeProfile.isEmpty()) {
            return Outcome.NO_PROFILE;
        }
        Profile profile = maybeProfile.get();
        if (!ENABLED.equals(profile.reminderStatus())) {
            return Outcome.REMINDERS_OFF;
        }
        if (!PreferenceDecision.decide(maybeProfile, serviceId, maybePreference).allowsDelivery()) {
            return Outcome.SERVICE_NOT_ALLOWED;
        }
        return switch (PushConsent.decide(profile, serviceId, maybePreference)) {
            case PUSH_OFF -> Outcome.PUSH_OFF;
            case PUSH_BLOCKED -> Outcome.PUSH_BLOCKED;
            case ALLOWED -> Outcome.ALLOWED;
        };
    }
}
