package dev.ioserverless.profiles;

import static dev.ioserverless.profiles.PreferenceDecision.Outcome.DELIVER;
import static dev.ioserverless.profiles.PreferenceDecision.Outcome.SERVICE_NOT_ALLOWED;
import static dev.ioserverless.profiles.PreferenceDecision.Outcome.USER_NOT_FOUND;
import static dev.ioserverless.profiles.TestProfiles.CITIZEN;
import static dev.ioserverless.profiles.TestProfiles.preference;
import static dev.ioserverless.profiles.TestProfiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PreferenceDecisionTest {
    static final String SERVICE = "service-a";
    static final String OTHER_SERVICE = "service-b";

    static PreferenceDecision decide(Profile profile, ServicePreference preference) {
        return PreferenceDecision.decide(Optional.ofNullable(profile), SERVICE, Optional.ofNullable(preference));
    }

    @Test
    void noProfileIsUserNotFound() {
        PreferenceDecision decision = decide(null, null);
        assertEquals(USER_NOT_FOUND, decision.outcome());
        assertEquals("PROFILE_NOT_FOUND", decision.rule());
        assertFalse(decision.allowsDelivery());
    }

    @Test
    void disabledInboxIsServiceNotAllowedInEveryMode() {
        for (ServicePreferencesMode mode : ServicePreferencesMode.values()) {
            Profile profile = new Profile(CITIZEN, false, 1, List.of(), mode, 0, Map.of(),
                    Instant.EPOCH, Instant.EPOCH, 0);
            PreferenceDecision decision = decide(profile, preference(CITIZEN, SERVICE, true, 0));
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome(), mode.name());
            assertEquals("INBOX_DISABLED", decision.rule());
        }
    }

    @Test
    void termsOfServiceAreNotConsidered() {
        Profile neverAccepted = new Profile(CITIZEN, true, null, List.of(), ServicePreferencesMode.AUTO, 0,
                Map.of(), Instant.EPOCH, Instant.EPOCH, 0);
        assertFalse(neverAccepted.hasAcceptedTermsOfService());
        assertEquals(DELIVER, decide(neverAccepted, null).outcome());
    }

    @Nested
    class Legacy {
        @Test
        void noBlockedChannelsDelivers() {
            assertEquals(DELIVER, decide(TestProfiles.legacy(CITIZEN, Map.of()), null).outcome());
        }

        @Test
        void blockedInboxForTheServiceIsNotAllowed() {
            Profile profile = TestProfiles.legacy(CITIZEN, Map.of(SERVICE, Set.of(BlockedInboxOrChannel.INBOX)));
            PreferenceDecision decision = decide(profile, null);
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome());
            assertEquals("LEGACY_INBOX_BLOCKED", decision.rule());
        }

        @Test
        void otherBlockedChannelsStillDeliver() {
            Profile profile = TestProfiles.legacy(CITIZEN,
                    Map.of(SERVICE, EnumSet.of(BlockedInboxOrChannel.EMAIL, BlockedInboxOrChannel.WEBHOOK)));
            assertEquals(DELIVER, decide(profile, null).outcome());
        }

        @Test
        void inboxBlockedForAnotherServiceStillDelivers() {
            Profile profile = TestProfiles.legacy(CITIZEN, Map.of(OTHER_SERVICE, Set.of(BlockedInboxOrChannel.INBOX)));
            assertEquals(DELIVER, decide(profile, null).outcome());
        }

        @Test
        void servicePreferencesAreIgnored() {
            Profile profile = TestProfiles.legacy(CITIZEN, Map.of());
            assertEquals(DELIVER, decide(profile, preference(CITIZEN, SERVICE, false, -1)).outcome());
            assertFalse(PreferenceDecision.needsServicePreference(profile));
        }
    }

    @Nested
    class Auto {
        final Profile profile = profile(CITIZEN, ServicePreferencesMode.AUTO, 2);

        @Test
        void noPreferenceDelivers() {
            PreferenceDecision decision = decide(profile, null);
            assertEquals(DELIVER, decision.outcome());
            assertEquals("AUTO_DEFAULT", decision.rule());
            assertTrue(PreferenceDecision.needsServicePreference(profile));
        }

        @Test
        void currentPreferenceWithInboxOffIsNotAllowed() {
            PreferenceDecision decision = decide(profile, preference(CITIZEN, SERVICE, false, 2));
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome());
            assertEquals("AUTO_INBOX_DISABLED", decision.rule());
        }

        @Test
        void currentPreferenceWithInboxOnDelivers() {
            assertEquals(DELIVER, decide(profile, preference(CITIZEN, SERVICE, true, 2)).outcome());
        }

        @Test
        void stalePreferenceWithInboxOffCountsAsAbsent() {
            PreferenceDecision older = decide(profile, preference(CITIZEN, SERVICE, false, 1));
            assertEquals(DELIVER, older.outcome());
            assertEquals("AUTO_DEFAULT", older.rule());
            assertEquals(DELIVER, decide(profile, preference(CITIZEN, SERVICE, false, 3)).outcome());
        }

        @Test
        void preferenceForAnotherServiceOrCitizenIsIgnored() {
            assertEquals(DELIVER, decide(profile, preference(CITIZEN, OTHER_SERVICE, false, 2)).outcome());
            assertEquals(DELIVER, decide(profile, preference("MRTMTT25D09F205Z", SERVICE, false, 2)).outcome());
        }
    }

    @Nested
    class Manual {
        final Profile profile = profile(CITIZEN, ServicePreferencesMode.MANUAL, 5);

        @Test
        void noPreferenceIsNotAllowed() {
            PreferenceDecision decision = decide(profile, null);
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome());
            assertEquals("MANUAL_NO_PREFERENCE", decision.rule());
        }

        @Test
        void currentPreferenceWithInboxOnDelivers() {
            PreferenceDecision decision = decide(profile, preference(CITIZEN, SERVICE, true, 5));
            assertEquals(DELIVER, decision.outcome());
            assertEquals("MANUAL_INBOX_ENABLED", decision.rule());
        }

        @Test
        void currentPreferenceWithInboxOffIsNotAllowed() {
            PreferenceDecision decision = decide(profile, preference(CITIZEN, SERVICE, false, 5));
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome());
            assertEquals("MANUAL_INBOX_DISABLED", decision.rule());
        }

        @Test
        void stalePreferenceWithInboxOnCountsAsAbsent() {
            PreferenceDecision decision = decide(profile, preference(CITIZEN, SERVICE, true, 4));
            assertEquals(SERVICE_NOT_ALLOWED, decision.outcome());
            assertEquals("MANUAL_NO_PREFERENCE", decision.rule());
        }
    }

    @Test
    void needsPreferenceOnlyWithEnabledInboxOutsideLegacy() {
        assertTrue(PreferenceDecision.needsServicePreference(profile(CITIZEN, ServicePreferencesMode.MANUAL, 0)));
        assertFalse(PreferenceDecision.needsServicePreference(TestProfiles.inboxDisabled(CITIZEN)));
    }
}
