package dev.ioserverless.services;

import java.util.Optional;

/** Services and their API keys. Keys are only ever handled here as SHA-256 hashes once stored. */
public interface ServiceStore {

    /** The service an API key belongs to, by the key's {@code Hashing.sha256Hex}. */
    Optional<Service> findByApiKeyHash(String keyHash);

    Optional<Service> find(String serviceId);

    /** Creates or replaces a service; throws {@link IllegalArgumentException} if it is not valid. */
    void save(Service service);

    /** Stores the hash of {@code clearKey} as the service's key in {@code slot}. */
    void saveApiKey(String serviceId, ApiKeySlot slot, String clearKey);

    /** Saves a service with its primary key and, unless null, its secondary key. */
    default void save(Service service, String primaryKeyClear, String secondaryKeyClear) {
        save(service);
        saveApiKey(service.serviceId(), ApiKeySlot.PRIMARY, primaryKeyClear);
        if (secondaryKeyClear != null) {
            saveApiKey(service.serviceId(), ApiKeySlot.SECONDARY, secondaryKeyClear);
        }
    }
}
