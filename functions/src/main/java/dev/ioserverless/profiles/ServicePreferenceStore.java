package dev.ioserverless.profiles;

import java.util.Optional;

/** Citizens' per-service preferences, by (fiscal code, service id). */
public interface ServicePreferenceStore {

    Optional<ServicePreference> find(String fiscalCode, String serviceId);

    /** Creates or replaces a preference; throws {@link IllegalArgumentException} if it is not valid. */
    void save(ServicePreference preference);
}
