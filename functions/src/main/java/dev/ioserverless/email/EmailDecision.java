package dev.ioserverless.email;

import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreference;
import java.util.Optional;

/**
 * Whether a processed message is notified by email, and to which address: only to a validated
 * address, with the profile's email channel on, the service allowed to email (the LEGACY mode's
 * blocked channels, or the current service preference in AUTO and MANUAL mode), and a message
 * that does not require secure channels.
 *
 * @param address the validated address; null unless {@link Outcome#SEND}
 */
public record EmailDecision(Outcome outcome, String address) {

    public enum Outcome {
        SEND,
        NO_PROFILE,
        NO_VALIDATED_ADDRESS,
        EMAIL_DISABLED,
        SERVICE_EMAIL_DISABLED,
        SECURE_CHANNELS_REQUIRED
    }

    public boolean sends() {
        return outcome == Outcome.SEND;
    }

    public static EmailDecision decide(Optional<Profile> maybeProfile, String serviceId,
                                       Optional<ServicePreference> maybePreference, boolean requireSecureChannels) {
        if (maybeProfile.isEmpty()) {
            return new EmailDecision(Outcome.NO_PROFILE, null);
        }
        Profile profile = maybeProfile.get();
        Optional<String> address = profile.validatedEmail();
        if (address.isEmpty()) {
            return new EmailDecision(Outcome.NO_VALIDATED_ADDRESS, null);
        }
        if (!profile.isEmailEnabled()) {
            return new EmailDecision(Outcome.EMAIL_DISABLED, null);
        }
        Optional<ServicePreference> current = maybePreference
                .filter(p -> p.serviceId().equals(serviceId))
                .filter(p -> p.isCurrentFor(profile));
        boolean serviceAllowed = switch (profile.servicePreferencesMode()) {
            case LEGACY -> !profile.blockedChannelsFor(serviceId).contains(BlockedInboxOrChannel.EMAIL);
            case AUTO -> current.map(ServicePreference::isEmailEnabled).orElse(true);
            case MANUAL -> current.map(ServicePreference::isEmailEnabled).orElse(false);
        };
        if (!serviceAllowed) {
            return new EmailDecision(Outcome.SERVICE_EMAIL_DISABLED, null);
        }
        if (requireSecureChannels) {
            return new EmailDecision(Outcome.SECURE_CHANNELS_REQUIRED, null);
        }
        return new EmailDecision(Outcome.SEND, address.get());
    }

    @Override
    public String toString() {
        return "EmailDecision[" + outcome + "]";
    }
}
