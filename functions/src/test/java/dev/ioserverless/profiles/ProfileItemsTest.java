package dev.ioserverless.profiles;

import static dev.ioserverless.profiles.TestProfiles.CITIZEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.DynamoAttributes;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB item forms of profiles and service preferences. */
class ProfileItemsTest {

    @Test
    void profileRoundTrips() {
        Profile profile = new Profile(CITIZEN, true, 4, List.of("it_IT", "en_GB"), ServicePreferencesMode.LEGACY,
                ServicePreferencesMode.LEGACY_VERSION,
                Map.of("s1", EnumSet.of(BlockedInboxOrChannel.INBOX, BlockedInboxOrChannel.EMAIL), "s2", Set.of()),
                Instant.parse("2024-01-01T00:00:00.000Z"), Instant.parse("2024-02-01T12:00:00.250Z"), 7);
        Map<String, AttributeValue> item = DynamoProfileStore.toItem(profile);
        assertEquals("LEGACY", item.get("service_preferences_mode").s());
        assertTrue(item.get("is_inbox_enabled").bool());
        assertEquals("4", item.get("accepted_tos_version").n());
        assertEquals(List.of("INBOX", "EMAIL"),
                DynamoAttributes.stringList(item.get("blocked_inbox_or_channels").m().get("s1")));
        assertEquals("2024-02-01T12:00:00.250Z", item.get("updated_at").s());
        assertEquals(profile, DynamoProfileStore.fromItem(item));
    }

    @Test
    void profileWithoutTermsOfServiceHasNoAttributeForIt() {
        Profile profile = new Profile(CITIZEN, false, null, List.of(), ServicePreferencesMode.AUTO, 0, Map.of(),
                Instant.EPOCH, Instant.EPOCH, 0);
        Map<String, AttributeValue> item = DynamoProfileStore.toItem(profile);
        assertFalse(item.containsKey("accepted_tos_version"));
        assertNull(DynamoProfileStore.fromItem(item).acceptedTosVersion());
    }

    @Test
    void minimalItemReadsWithIoDefaults() {
        Profile profile = DynamoProfileStore.fromItem(Map.of("fiscal_code", DynamoAttributes.s(CITIZEN)));
        assertFalse(profile.isInboxEnabled());
        assertEquals(ServicePreferencesMode.LEGACY, profile.servicePreferencesMode());
        assertEquals(ServicePreferencesMode.LEGACY_VERSION, profile.servicePreferencesVersion());
    }

    @Test
    void invalidProfilesAreNotSaved() {
        Profile bad = new Profile("not-a-fiscal-code", true, null, List.of(), ServicePreferencesMode.MANUAL, -1,
                Map.of(), Instant.EPOCH, Instant.EPOCH, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DynamoProfileStore(null, "t").save(bad));
        assertTrue(e.getMessage().contains("fiscal_code"));
        assertTrue(e.getMessage().contains("service_preferences_version"));
    }

    @Test
    void preferenceRoundTrips() {
        ServicePreference preference = new ServicePreference(CITIZEN, "s1", false, true, false, 3);
        Map<String, AttributeValue> item = DynamoServicePreferenceStore.toItem(preference);
        assertEquals("3", item.get("settings_version").n());
        assertEquals(preference, DynamoServicePreferenceStore.fromItem(item));
    }

    @Test
    void invalidPreferencesAreNotSaved() {
        assertThrows(IllegalArgumentException.class, () -> new DynamoServicePreferenceStore(null, "t")
                .save(new ServicePreference(CITIZEN, " ", true, true, true, 0)));
    }
}
