package dev.ioserverless.profiles;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Profiles for tests. */
public final class TestProfiles {
    public static final String CITIZEN = "RSSMRA80A01H501U";
    public static final Instant CREATED = Instant.parse("2024-01-10T08:00:00.000Z");

    private TestProfiles() {
    }

    /** An enabled inbox, terms accepted, in the given mode and settings version. */
    public static Profile profile(String fiscalCode, ServicePreferencesMode mode, int version) {
        return new Profile(fiscalCode, true, 3, List.of("it_IT"), mode, version, Map.of(), CREATED, CREATED, 1);
    }

    public static Profile legacy(String fiscalCode, Map<String, Set<BlockedInboxOrChannel>> blocked) {
        return new Profile(fiscalCode, true, 3, List.of("it_IT"), ServicePreferencesMode.LEGACY,
                ServicePreferencesMode.LEGACY_VERSION, blocked, CREATED, CREATED, 1);
    }

    public static Profile inboxDisabled(String fiscalCode) {
        return new Profile(fiscalCode, false, 3, List.of("it_IT"), ServicePreferencesMode.AUTO, 0, Map.of(),
                CREATED, CREATED, 1);
    }

    public static ServicePreference preference(String fiscalCode, String serviceId, boolean inbox, int version) {
        return new ServicePreference(fiscalCode, serviceId, inbox, true, true, version);
    }
}
