package dev.ioserverless.profiles;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ServicePreferenceStore} in memory, for unit tests. */
public final class InMemoryServicePreferenceStore implements ServicePreferenceStore {
    private final Map<String, ServicePreference> preferences = new ConcurrentHashMap<>();
    public final AtomicInteger reads = new AtomicInteger();

    @Override
    public Optional<ServicePreference> find(String fiscalCode, String serviceId) {
        reads.incrementAndGet();
        return Optional.ofNullable(preferences.get(fiscalCode + "|" + serviceId));
    }

    @Override
    public void save(ServicePreference preference) {
        preference.requireValid();
        preferences.put(preference.fiscalCode() + "|" + preference.serviceId(), preference);
    }
}
