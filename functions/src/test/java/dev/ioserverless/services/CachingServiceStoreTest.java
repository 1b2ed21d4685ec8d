package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A warm instance's memory of which service a key belongs to: how long, and what it forgets. */
class CachingServiceStoreTest {
    private final InMemoryServiceStore stored = new InMemoryServiceStore();
    private final AtomicInteger lookups = new AtomicInteger();
    private final ServiceStore counting = new ServiceStore() {
        @Override
        public Optional<Service> findByApiKeyHash(String keyHash) {
            lookups.incrementAndGet();
            return stored.findByApiKeyHash(keyHash);
        }

        @Override
        public Optional<Service> find(String serviceId) {
            return stored.find(serviceId);
        }

        @Override
        public void save(Service service) {
            stored.save(service);
        }

        @Override
        public void saveApiKey(String serviceId, ApiKeySlot slot, String clearKey) {
            stored.saveApiKey(serviceId, slot, clearKey);
        }
    };
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final CachingServiceStore cache = new CachingServiceStore(counting, clock, Duration.ofSeconds(10));

    @Test
    void aKnownKeyIsLookedUpOnceForTheTtlThenAgain() {
        stored.save(TestServices.tari(), "primary-key", null);
        String hash = Hashing.sha256Hex("primary-key");
        assertEquals(TestServices.SERVICE_ID, cache.findByApiKeyHash(hash).orElseThrow().serviceId());
        clock.advance(Duration.ofSeconds(9));
        cache.findByApiKeyHash(hash);
        assertEquals(1, lookups.get(), "remembered for the ttl");
        clock.advance(Duration.ofSeconds(1));
        cache.findByApiKeyHash(hash);
        assertEquals(2, lookups.get(), "looked up again once it expired");
    }

    @Test
    void anUnknownKeyIsNeverRememberedSoANewKeyWorksAtOnce() {
        String hash = Hashing.sha256Hex("new-key");
        assertTrue(cache.findByApiKeyHash(hash).isEmpty());
        stored.save(TestServices.tari(), "new-key", null);
        assertTrue(cache.findByApiKeyHash(hash).isPresent());
        assertEquals(2, lookups.get());
    }

    @Test
    void writesThroughThisInstanceForgetTheServicesKeys() {
        stored.save(TestServices.tari(), "primary-key", null);
        String hash = Hashing.sha256Hex("primary-key");
        cache.findByApiKeyHash(hash);
        cache.save(TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiMessageRead));
        assertEquals(1, cache.findByApiKeyHash(hash).orElseThrow().groups().size(), "the new settings at once");
        assertEquals(2, lookups.get());
        cache.saveApiKey(TestServices.SERVICE_ID, ApiKeySlot.SECONDARY, "other-key");
        cache.findByApiKeyHash(hash);
        assertEquals(3, lookups.get());
    }
}
