package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileUpdateTest {
    static final String CF = "RSSMRA80A01H501U";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant BEFORE = Instant.parse("2026-01-01T10:00:00Z");

    static Profile apply(String body, Optional<Profile> stored) {
        return ProfileUpdate.parse(Json.read(body)).applyTo(CF, stored, NOW);
    }

    static Profile stored(ServicePreferencesMode mode, int settingsVersion, Integer tos, long version) {
        return new Profile(CF, tos != null, tos, List.of("it_IT"), mode, settingsVersion, Map.of(), BEFORE, BEFORE,
                version, tos != null, true, null, null);
    }

    static int conflict(String body, Optional<Profile> stored) {
        return assertThrows(ProblemException.class, () -> apply(body, stored)).problem().status();
    }

    @Test
    void aNewProfileStartsInAutoModeAtVersionOneWithTheInboxOffUntilTermsAreAccepted() {
        Profile created = apply("{\"version\":0,\"is_inbox_enabled\":true}", Optional.empty());
        assertEquals(ServicePreferencesMode.AUTO, created.servicePreferencesMode());
        assertEquals(0, created.servicePreferencesVersion());
        assertEquals(1, created.version());
        assertFalse(created.isInboxEnabled(), "no terms of service accepted yet");
        assertEquals(NOW, created.createdAt());
    }

    @Test
    void theFirstAcceptanceOfTheTermsTurnsTheInboxAndPushOn() {
        Profile accepted = apply("{\"version\":1,\"accepted_tos_version\":4.0,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}", Optional.of(stored(ServicePreferencesMode.AUTO, 0, null, 1)));
        assertTrue(accepted.isInboxEnabled());
        assertTrue(accepted.isWebhookEnabled());
        assertEquals(4, accepted.acceptedTosVersion());
        assertEquals(2, accepted.version());
        Profile later = apply("{\"version\":2,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"is_inbox_enabled\":false}",
                Optional.of(accepted));
        assertFalse(later.isInboxEnabled(), "after that, the citizen decides");
    }

    @Test
    void aStaleOrFutureVersionIs409() {
        Optional<Profile> at3 = Optional.of(stored(ServicePreferencesMode.AUTO, 0, 4, 3));
        assertEquals(409, conflict("{\"version\":2,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}", at3));
        assertEquals(409, conflict("{\"version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"service_preferences_settings\":{\"mode\":\"AUTO\"}}", at3));
        assertEquals(409, conflict("{\"version\":1}", Optional.empty()), "no profile yet: the version read is 0");
        assertEquals(4, apply("{\"version\":3,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}", at3).version());
    }

    @Test
    void changingModeStartsANewSettingsVersionAndKeepingItDoesNot() {
        Profile auto = stored(ServicePreferencesMode.AUTO, 2, 4, 5);
        Profile manual = apply("{\"version\":5,\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}", Optional.of(auto));
        assertEquals(3, manual.servicePreferencesVersion());
        Profile same = apply("{\"version\":6,\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}", Optional.of(manual));
        assertEquals(3, same.servicePreferencesVersion());
        Profile fromLegacy = apply("{\"version\":1,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}",
                Optional.of(stored(ServicePreferencesMode.LEGACY, ServicePreferencesMode.LEGACY_VERSION, 4, 1)));
        assertEquals(0, fromLegacy.servicePreferencesVersion());
    }

    @Test
    void legacyCanNeverBeChosenAndAnOmittedModeMeansLegacy() {
        Optional<Profile> auto = Optional.of(stored(ServicePreferencesMode.AUTO, 0, 4, 1));
        assertEquals(409, conflict("{\"version\":1,\"service_preferences_settings\":{\"mode\":\"LEGACY\"}}", auto));
        assertEquals(409, conflict("{\"version\":1}", auto));
        assertEquals(409, conflict("{\"version\":0,\"service_preferences_settings\":{\"mode\":\"LEGACY\"}}", Optional.empty()));
        Profile legacy = stored(ServicePreferencesMode.LEGACY, ServicePreferencesMode.LEGACY_VERSION, 4, 1);
        Profile kept = apply("{\"version\":1,\"blocked_inbox_or_channels\":{\"svc\":[\"INBOX\"]}}", Optional.of(legacy));
        assertEquals(ServicePreferencesMode.LEGACY, kept.servicePreferencesMode(), "a LEGACY profile may stay LEGACY");
        assertEquals(Set.of(BlockedInboxOrChannel.INBOX), kept.blockedChannelsFor("svc"));
        Profile migrated = apply("{\"version\":2,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}", Optional.of(kept));
        assertTrue(migrated.blockedInboxOrChannels().isEmpty(), "blocked channels mean nothing outside LEGACY");
    }

    @Test
    void remindersAndPushContentAreStoredAndOmittedFieldsKeepTheirValues() {
        Profile first = apply("{\"version\":0,\"reminder_status\":\"ENABLED\",\"push_notifications_content_type\":\"ANONYMOUS\","
                + "\"preferred_languages\":[\"en_GB\"],\"is_email_enabled\":false}", Optional.empty());
        assertEquals("ENABLED", first.reminderStatus());
        assertEquals("ANONYMOUS", first.pushNotificationsContentType());
        Profile next = apply("{\"version\":1,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"reminder_status\":\"DISABLED\"}",
                Optional.of(first));
        assertEquals("DISABLED", next.reminderStatus());
        assertEquals("ANONYMOUS", next.pushNotificationsContentType());
        assertEquals(List.of("en_GB"), next.preferredLanguages());
        assertFalse(next.isEmailEnabled());
    }

    @Test
    void badFieldsAre400NamingEachOne() {
        ProblemException problem = assertThrows(ProblemException.class, () -> ProfileUpdate.parse(Json.read(
                "{\"version\":\"1\",\"is_inbox_enabled\":\"yes\",\"accepted_tos_version\":0,\"preferred_languages\":[\"xx\"],"
                        + "\"service_preferences_settings\":{\"mode\":\"SOMETIMES\"},\"reminder_status\":\"ON\","
                        + "\"push_notifications_content_type\":1,\"blocked_inbox_or_channels\":{\"s\":[\"SMS\"]},"
                        + "\"last_app_version\":\"two\"}")));
        assertEquals(400, problem.problem().status());
        for (String field : List.of("version", "is_inbox_enabled", "accepted_tos_version", "preferred_languages",
                "service_preferences_settings.mode", "reminder_status", "push_notifications_content_type",
                "blocked_inbox_or_channels.s", "last_app_version")) {
            assertTrue(problem.problem().detail().contains(field + ":"), field + " in " + problem.problem().detail());
        }
        assertTrue(assertThrows(ProblemException.class, () -> ProfileUpdate.parse(Json.read("{}"))).problem().detail()
                .startsWith("version: required"));
    }

    static Profile withEmail(String email, boolean validated) {
        return new Profile(CF, true, 3, List.of("it_IT"), ServicePreferencesMode.AUTO, 0, Map.of(), BEFORE, BEFORE, 4,
                true, true, null, null, email, validated);
    }

    @Test
    void aNewOrChangedEmailIsUnvalidatedAndTheSameOneKeepsItsState() {
        Profile created = apply("{\"version\":0,\"email\":\"mario.rossi@example.com\"}", Optional.empty());
        assertEquals("mario.rossi@example.com", created.email());
        assertFalse(created.isEmailValidated());

        Optional<Profile> validated = Optional.of(withEmail("mario.rossi@example.com", true));
        Profile same = apply("{\"version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"mario.rossi@example.com\"}", validated);
        assertTrue(same.isEmailValidated());
        assertEquals(Optional.of("mario.rossi@example.com"), same.validatedEmail());
        assertTrue(apply("{\"version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"Mario.Rossi@Example.COM\"}", validated).isEmailValidated());
        assertTrue(apply("{\"version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"is_inbox_enabled\":true}", validated).isEmailValidated());

        Profile changed = apply("{\"version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"mario@example.org\"}", validated);
        assertEquals("mario@example.org", changed.email());
        assertFalse(changed.isEmailValidated());
        assertEquals(Optional.empty(), changed.validatedEmail());
    }

    @Test
    void anEmailThatIsNotAnAddressIs400() {
        for (String bad : new String[] {"\"nobody\"", "\"a@b\"", "42", "\"a b@example.com\"", "\"@example.com\"",
                "\"x@-example.com\""}) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> apply("{\"version\":0,\"email\":" + bad + "}", Optional.empty()));
            assertEquals(400, e.problem().status());
            assertTrue(e.problem().detail().startsWith("email:"), e.problem().detail());
        }
    }
}
