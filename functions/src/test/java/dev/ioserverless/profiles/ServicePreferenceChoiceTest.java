package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The preference table: mode, stored preference and settings version to what the citizen reads and may write. */
class ServicePreferenceChoiceTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String SERVICE = "svc";

    static Profile profile(ServicePreferencesMode mode, int settingsVersion) {
        return TestProfiles.profile(CF, mode, settingsVersion);
    }

    @Test
    void withoutAPreferenceAutoAllowsEverythingAndManualNothing() {
        assertEquals(Json.read("{\"is_email_enabled\":true,\"is_inbox_enabled\":true,\"is_webhook_enabled\":true,"
                + "\"settings_version\":2,\"can_access_message_read_status\":true}"),
                ServicePreferenceChoice.view(profile(ServicePreferencesMode.AUTO, 2), SERVICE, Optional.empty()));
        assertEquals(Json.read("{\"is_email_enabled\":false,\"is_inbox_enabled\":false,\"is_webhook_enabled\":false,"
                + "\"settings_version\":3,\"can_access_message_read_status\":false}"),
                ServicePreferenceChoice.view(profile(ServicePreferencesMode.MANUAL, 3), SERVICE, Optional.empty()));
    }

    @Test
    void aCurrentPreferenceIsReadAndAStaleOneIsNot() {
        ServicePreference optOut = new ServicePreference(CF, SERVICE, false, true, false, 2, AccessReadMessageStatus.DENY);
        assertEquals(false, ServicePreferenceChoice.view(profile(ServicePreferencesMode.AUTO, 2), SERVICE, Optional.of(optOut))
                .path("is_inbox_enabled").asBoolean());
        assertEquals(true, ServicePreferenceChoice.view(profile(ServicePreferencesMode.AUTO, 3), SERVICE, Optional.of(optOut))
                .path("is_inbox_enabled").asBoolean(), "made under settings version 2, void under 3");
    }

    @Test
    void legacyHasNoPerServicePreferences() {
        Profile legacy = profile(ServicePreferencesMode.LEGACY, ServicePreferencesMode.LEGACY_VERSION);
        assertEquals(409, assertThrows(ProblemException.class,
                () -> ServicePreferenceChoice.view(legacy, SERVICE, Optional.empty())).problem().status());
        assertEquals(409, assertThrows(ProblemException.class, () -> ServicePreferenceChoice.upsert(legacy, SERVICE, Json.read(
                "{\"is_inbox_enabled\":true,\"is_email_enabled\":true,\"is_webhook_enabled\":true,\"settings_version\":0}")))
                .problem().status());
    }

    @Test
    void aWriteMustNameTheCurrentSettingsVersion() {
        Profile manual = profile(ServicePreferencesMode.MANUAL, 4);
        ProblemException stale = assertThrows(ProblemException.class, () -> ServicePreferenceChoice.upsert(manual, SERVICE,
                Json.read("{\"is_inbox_enabled\":true,\"is_email_enabled\":true,\"is_webhook_enabled\":true,\"settings_version\":3}")));
        assertEquals(409, stale.problem().status());
        assertTrue(stale.problem().detail().startsWith("settings_version:"));
        ServicePreference chosen = ServicePreferenceChoice.upsert(manual, SERVICE, Json.read(
                "{\"is_inbox_enabled\":true,\"is_email_enabled\":false,\"is_webhook_enabled\":true,\"settings_version\":4}"));
        assertEquals(new ServicePreference(CF, SERVICE, true, false, true, 4, AccessReadMessageStatus.UNKNOWN), chosen,
                "read status left unchosen is UNKNOWN, which IO reads as allowed");
        assertEquals(AccessReadMessageStatus.DENY, ServicePreferenceChoice.upsert(manual, SERVICE, Json.read(
                "{\"is_inbox_enabled\":true,\"is_email_enabled\":false,\"is_webhook_enabled\":true,\"settings_version\":4,"
                        + "\"can_access_message_read_status\":false}")).accessReadMessageStatus());
    }

    @Test
    void badBodiesAre400NamingEachField() {
        ProblemException bad = assertThrows(ProblemException.class, () -> ServicePreferenceChoice.upsert(
                profile(ServicePreferencesMode.AUTO, 0), SERVICE,
                Json.read("{\"is_inbox_enabled\":\"no\",\"settings_version\":-1,\"can_access_message_read_status\":1}")));
        assertEquals(400, bad.problem().status());
        for (String field : new String[] {"is_inbox_enabled", "is_email_enabled", "is_webhook_enabled", "settings_version",
                "can_access_message_read_status"}) {
            assertTrue(bad.problem().detail().contains(field + ":"), field + " in " + bad.problem().detail());
        }
    }
}
