package dev.ioserverless.profiles;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ProfileStore} in memory, for unit tests; it can be told to fail. */
public final class InMemoryProfileStore implements ProfileStore {
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    public final AtomicInteger reads = new AtomicInteger();
    public volatile RuntimeException failReadsWith;

    @Override
    public Optional<Profile> find(String fiscalCode) {
        reads.incrementAndGet();
        if (failReadsWith != null) {
            throw failReadsWith;
        }
        return Optional.ofNullable(profiles.get(fiscalCode));
    }

    @Override
    public void save(Profile profile) {
        profiles.put(profile.requireValid().fiscalCode(), profile);
    }

    @Override
    public synchronized void replace(Profile profile, long expectedVersion, boolean exists) {
        Profile current = profiles.get(profile.requireValid().fiscalCode());
        if (exists ? current == null || current.version() != expectedVersion : current != null) {
            throw new StaleVersionException();
        }
        profiles.put(profile.fiscalCode(), profile);
    }

    @Override
    public synchronized boolean markEmailValidated(String fiscalCode, String email, java.time.Instant now) {
        Profile current = profiles.get(fiscalCode);
        if (current == null || !email.equals(current.email())) {
            return false;
        }
        profiles.put(fiscalCode, current.withEmailValidated(now));
        return true;
    }
}
