package dev.ioserverless.services;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container's memory of which service an API key belongs to, for a few seconds: a warm instance
 * then answers most requests without the two DynamoDB reads of the key and the service. Only keys
 * found are remembered, so a new key works at once and an unknown one is always looked up.
 *
 * <p>What it costs: a key revoked or rotated away, or a service whose settings (groups, CIDRs,
 * rate limit) change, keeps its old answer in a warm instance for up to {@code ttl}. Writes go
 * straight through and forget what they touch in this instance.
 */
public final class CachingServiceStore implements ServiceStore {
    static final int MAX_ENTRIES = 10_000;

    private final ServiceStore delegate;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> byKeyHash = new ConcurrentHashMap<>();

    private record Entry(Service service, Instant expires) {
    }

    public CachingServiceStore(ServiceStore delegate, Clock clock, Duration ttl) {
        this.delegate = delegate;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Optional<Service> findByApiKeyHash(String keyHash) {
        Instant now = clock.instant();
        Entry entry = byKeyHash.get(keyHash);
        if (entry != null && now.isBefore(entry.expires())) {
            return Optional.of(entry.service());
        }
        Optional<Service> found = delegate.findByApiKeyHash(keyHash);
        if (found.isPresent()) {
            if (byKeyHash.size() >= MAX_ENTRIES) {
                byKeyHash.clear();
            }
            byKeyHash.put(keyHash, new Entry(found.get(), now.plus(ttl)));
        } else {
            byKeyHash.remove(keyHash);
        }
        return found;
    }

    @Override
    public Optional<Service> find(String serviceId) {
        return delegate.find(serviceId);
    }

    @Override
    public void save(Service service) {
        delegate.save(service);
        byKeyHash.values().removeIf(entry -> entry.service().serviceId().equals(service.serviceId()));
    }

    @Override
    public void saveApiKey(String serviceId, ApiKeySlot slot, String clearKey) {
        delegate.saveApiKey(serviceId, slot, clearKey);
        byKeyHash.values().removeIf(entry -> entry.service().serviceId().equals(serviceId));
    }
}
