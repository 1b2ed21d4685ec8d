package dev.ioserverless.services;

import dev.ioserverless.common.Hashing;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ServiceStore} in memory, for unit tests. */
public final class InMemoryServiceStore implements ServiceStore {
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final Map<String, String> serviceIdByKeyHash = new ConcurrentHashMap<>();

    @Override
    public Optional<Service> findByApiKeyHash(String keyHash) {
        return Optional.ofNullable(serviceIdByKeyHash.get(keyHash)).flatMap(this::find);
    }

    @Override
    public Optional<Service> find(String serviceId) {
        return Optional.ofNullable(services.get(serviceId));
    }

    @Override
    public void save(Service service) {
        services.put(service.requireValid().serviceId(), service);
    }

    @Override
    public void saveApiKey(String serviceId, ApiKeySlot slot, String clearKey) {
        serviceIdByKeyHash.put(Hashing.sha256Hex(clearKey), serviceId);
    }
}
