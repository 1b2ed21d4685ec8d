package dev.ioserverless.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ioserverless.email.EmailDecision.Outcome;
import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferencesMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The email channel's rule table. */
class EmailDecisionTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String SERVICE = "svc";

    static Profile profile(String email, boolean validated, boolean emailEnabled, ServicePreferencesMode mode,
                           Map<String, Set<BlockedInboxOrChannel>> blocked) {
        return new Profile(CF, true, 4, List.of("it_IT"), mode, 1, blocked, Instant.EPOCH, Instant.EPOCH, 1, true,
                emailEnabled, null, null, email, validated);
    }

    static Outcome decide(Profile profile, ServicePreference preference, boolean secure) {
        return EmailDecision.decide(Optional.ofNullable(profile), SERVICE, Optional.ofNullable(preference), secure).outcome();
    }

    @Test
    void onlyAValidatedAddressWithEveryChannelAllowedGetsAnEmail() {
        Profile ok = profile("mario@example.it", true, true, ServicePreferencesMode.AUTO, Map.of());
        EmailDecision send = EmailDecision.decide(Optional.of(ok), SERVICE, Optional.empty(), false);
        assertEquals(Outcome.SEND, send.outcome());
        assertEquals("mario@example.it", send.address());
        assertEquals(Outcome.NO_PROFILE, decide(null, null, false));
        assertEquals(Outcome.NO_VALIDATED_ADDRESS, decide(profile("mario@example.it", false, true,
                ServicePreferencesMode.AUTO, Map.of()), null, false));
        assertEquals(Outcome.NO_VALIDATED_ADDRESS, decide(profile(null, true, true, ServicePreferencesMode.AUTO, Map.of()),
                null, false));
        assertEquals(Outcome.EMAIL_DISABLED, decide(profile("mario@example.it", true, false, ServicePreferencesMode.AUTO,
                Map.of()), null, false));
        assertEquals(Outcome.SECURE_CHANNELS_REQUIRED, decide(ok, null, true));
    }

    @Test
    void theServiceMayEmailByThePreferenceOfTheProfilesMode() {
        ServicePreference emailOff = new ServicePreference(CF, SERVICE, true, false, true, 1);
        ServicePreference emailOn = new ServicePreference(CF, SERVICE, true, true, true, 1);
        Profile auto = profile("mario@example.it", true, true, ServicePreferencesMode.AUTO, Map.of());
        assertEquals(Outcome.SERVICE_EMAIL_DISABLED, decide(auto, emailOff, false));
        assertEquals(Outcome.SEND, decide(auto, emailOn, false));
        Profile manual = profile("mario@example.it", true, true, ServicePreferencesMode.MANUAL, Map.of());
        assertEquals(Outcome.SERVICE_EMAIL_DISABLED, decide(manual, null, false), "MANUAL without a preference");
        assertEquals(Outcome.SEND, decide(manual, emailOn, false));
        Profile legacy = profile("mario@example.it", true, true, ServicePreferencesMode.LEGACY,
                Map.of(SERVICE, Set.of(BlockedInboxOrChannel.EMAIL)));
        assertEquals(Outcome.SERVICE_EMAIL_DISABLED, decide(legacy, emailOn, false), "LEGACY reads blocked channels only");
        assertEquals(Outcome.SEND, decide(profile("mario@example.it", true, true, ServicePreferencesMode.LEGACY, Map.of()),
                emailOff, false));
    }
}
