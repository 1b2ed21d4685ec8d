package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadStatusSharingTest {
    static final String CF = TestProfiles.CITIZEN;
    static final String SERVICE = "svc";

    static ServicePreference preference(int version, AccessReadMessageStatus access) {
        return new ServicePreference(CF, SERVICE, true, true, true, version, access);
    }

    static boolean shared(Profile profile, ServicePreference preference) {
        return ReadStatusSharing.isShared(Optional.ofNullable(profile), SERVICE, Optional.ofNullable(preference));
    }

    @Test
    void withoutAProfileNothingIsShared() {
        assertFalse(shared(null, null));
        assertFalse(shared(null, preference(0, AccessReadMessageStatus.ALLOW)));
    }

    @Test
    void legacyProfilesShareAndNeedNoPreference() {
        Profile legacy = TestProfiles.legacy(CF, Map.of());
        assertFalse(ReadStatusSharing.needsServicePreference(legacy));
        assertTrue(shared(legacy, null));
    }

    @Test
    void onlyACurrentDenyForTheServiceWithholdsIt() {
        for (ServicePreferencesMode mode : List.of(ServicePreferencesMode.AUTO, ServicePreferencesMode.MANUAL)) {
            Profile profile = TestProfiles.profile(CF, mode, 3);
            assertTrue(ReadStatusSharing.needsServicePreference(profile));
            assertTrue(shared(profile, null), mode + ": no preference shares (IO's default)");
            assertTrue(shared(profile, preference(3, AccessReadMessageStatus.ALLOW)));
            assertTrue(shared(profile, preference(3, AccessReadMessageStatus.UNKNOWN)));
            assertFalse(shared(profile, preference(3, AccessReadMessageStatus.DENY)), mode.name());
            assertTrue(shared(profile, preference(2, AccessReadMessageStatus.DENY)), "a stale preference does not count");
            assertTrue(ReadStatusSharing.isShared(Optional.of(profile), "other-service",
                    Optional.of(preference(3, AccessReadMessageStatus.DENY))), "another service's preference does not count");
        }
    }

    @Test
    void aPreferenceWithoutAChoiceAllows() {
        assertEquals(AccessReadMessageStatus.ALLOW, new ServicePreference(CF, SERVICE, true, true, true, 1).accessReadMessageStatus());
        assertEquals(AccessReadMessageStatus.ALLOW, new ServicePreference(CF, SERVICE, true, true, true, 1, null)
                .accessReadMessageStatus());
    }

    @Test
    void theChoiceIsStoredAsAccessReadMessageStatus() {
        ServicePreference deny = preference(3, AccessReadMessageStatus.DENY);
        var item = DynamoServicePreferenceStore.toItem(deny);
        assertEquals("DENY", item.get("access_read_message_status").s());
        assertEquals(deny, DynamoServicePreferenceStore.fromItem(item));
        item.remove("access_read_message_status");
        assertEquals(AccessReadMessageStatus.ALLOW, DynamoServicePreferenceStore.fromItem(item).accessReadMessageStatus());
        item.put("access_read_message_status",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SOMETHING_NEW"));
        assertEquals(AccessReadMessageStatus.ALLOW, DynamoServicePreferenceStore.fromItem(item).accessReadMessageStatus());
    }
}
