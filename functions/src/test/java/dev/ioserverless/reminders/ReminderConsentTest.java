package dev.ioserverless.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Whether the citizen lets a payment reminder reach their phone. */
class ReminderConsentTest {
    static final String CITIZEN = "RSSMRA80A01H501U";
    static final String SERVICE = "svc";
    static final Instant T = Instant.parse("2027-01-01T10:00:00Z");

    static Profile profile(ServicePreferencesMode mode, String reminders, boolean push,
                           Map<String, Set<BlockedInboxOrChannel>> blocked) {
        return new Profile(CITIZEN, true, 4, List.of("it_IT"), mode,
                mode == ServicePreferencesMode.LEGACY ? ServicePreferencesMode.LEGACY_VERSION : 2, blocked, T, T, 3,
                push, true, reminders, null);
    }

    static Optional<ServicePreference> preference(boolean inbox, boolean push, int version) {
        return Optional.of(new ServicePreference(CITIZEN, SERVICE, inbox, false, push, version));
    }

    static ReminderConsent.Outcome decide(Profile profile, Optional<ServicePreference> preference) {
        return ReminderConsent.decide(Optional.of(profile), SERVICE, preference);
    }

    @Test
    void remindersMustBeEnabled() {
        assertEquals(ReminderConsent.Outcome.ALLOWED, decide(profile(ServicePreferencesMode.AUTO, "ENABLED", true, Map.of()),
                Optional.empty()));
        assertEquals(ReminderConsent.Outcome.REMINDERS_OFF, decide(profile(ServicePreferencesMode.AUTO, "DISABLED", true,
                Map.of()), Optional.empty()));
        assertEquals(ReminderConsent.Outcome.REMINDERS_OFF, decide(profile(ServicePreferencesMode.AUTO, null, true, Map.of()),
                Optional.empty()), "never set (IO's UNSET) is not ENABLED");
        assertEquals(ReminderConsent.Outcome.NO_PROFILE, ReminderConsent.decide(Optional.empty(), SERVICE, Optional.empty()));
    }

    @Test
    void pushesOffOnTheProfileOrForTheServiceStopReminders() {
        assertEquals(ReminderConsent.Outcome.PUSH_OFF, decide(profile(ServicePreferencesMode.AUTO, "ENABLED", false, Map.of()),
                Optional.empty()));
        assertEquals(ReminderConsent.Outcome.PUSH_BLOCKED, decide(profile(ServicePreferencesMode.AUTO, "ENABLED", true,
                Map.of()), preference(true, false, 2)), "AUTO: the service's pushes turned off");
        assertEquals(ReminderConsent.Outcome.ALLOWED, decide(profile(ServicePreferencesMode.AUTO, "ENABLED", true, Map.of()),
                preference(true, false, 1)), "a stale preference counts as absent");
        assertEquals(ReminderConsent.Outcome.PUSH_BLOCKED, decide(profile(ServicePreferencesMode.MANUAL, "ENABLED", true,
                Map.of()), preference(true, false, 2)));
        assertEquals(ReminderConsent.Outcome.ALLOWED, decide(profile(ServicePreferencesMode.MANUAL, "ENABLED", true,
                Map.of()), preference(true, true, 2)));
        assertEquals(ReminderConsent.Outcome.PUSH_BLOCKED, decide(profile(ServicePreferencesMode.LEGACY, "ENABLED", true,
                Map.of(SERVICE, Set.of(BlockedInboxOrChannel.WEBHOOK))), Optional.empty()), "LEGACY: WEBHOOK blocked");
        assertEquals(ReminderConsent.Outcome.ALLOWED, decide(profile(ServicePreferencesMode.LEGACY, "ENABLED", true,
                Map.of(SERVICE, Set.of(BlockedInboxOrChannel.EMAIL))), Optional.empty()));
    }

    @Test
    void aServiceNoLongerAllowedInTheInboxSendsNoReminder() {
        assertEquals(ReminderConsent.Outcome.SERVICE_NOT_ALLOWED, decide(profile(ServicePreferencesMode.AUTO, "ENABLED", true,
                Map.of()), preference(false, true, 2)));
        assertEquals(ReminderConsent.Outcome.SERVICE_NOT_ALLOWED, decide(profile(ServicePreferencesMode.MANUAL, "ENABLED", true,
                Map.of()), Optional.empty()), "MANUAL without a preference");
        assertEquals(ReminderConsent.Outcome.SERVICE_NOT_ALLOWED, decide(profile(ServicePreferencesMode.LEGACY, "ENABLED", true,
                Map.of(SERVICE, Set.of(BlockedInboxOrChannel.INBOX))), Optional.empty()));
    }

    @Test
    void thePreferenceIsReadOnlyWhenItCanMatter() {
        assertTrue(ReminderConsent.needsServicePreference(profile(ServicePreferencesMode.AUTO, "ENABLED", true, Map.of())));
        assertFalse(ReminderConsent.needsServicePreference(profile(ServicePreferencesMode.AUTO, "DISABLED", true, Map.of())));
        assertFalse(ReminderConsent.needsServicePreference(profile(ServicePreferencesMode.LEGACY, "ENABLED", true, Map.of())));
    }
}
