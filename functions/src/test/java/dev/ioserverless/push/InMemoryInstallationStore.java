package dev.ioserverless.push;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link InstallationStore} in memory with the DynamoDB one's semantics; it can be told to fail. */
public final class InMemoryInstallationStore implements InstallationStore {
    private final Map<InstallationKey, Installation> items = new ConcurrentHashMap<>();
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile RuntimeException failFindAllWith;
    /** Runs after findAll has loaded its result: lets a test change the store meanwhile. */
    volatile Runnable afterFindAll = () -> { };

    @Override
    public List<Installation> findAll(String fiscalCode) {
        calls.add("findAll");
        if (failFindAllWith != null) {
            throw failFindAllWith;
        }
        List<Installation> loaded = items.values().stream().filter(i -> i.fiscalCode().equals(fiscalCode))
                .sorted(Comparator.comparing(Installation::installationId)).toList();
        afterFindAll.run();
        return loaded;
    }

    @Override
    public Optional<Installation> find(String fiscalCode, String installationId) {
        return Optional.ofNullable(items.get(new InstallationKey(fiscalCode, installationId)));
    }

    @Override
    public void save(Installation installation) {
        calls.add("save " + installation.installationId());
        items.put(installation.key(), installation);
    }

    @Override
    public void delete(InstallationKey key) {
        calls.add("delete " + key.installationId());
        items.remove(key);
    }

    @Override
    public synchronized boolean deleteIfUnchanged(Installation installation) {
        Installation current = items.get(installation.key());
        if (current == null || !current.endpointArn().equals(installation.endpointArn())
                || !current.updatedAt().equals(installation.updatedAt())) {
            return false;
        }
        calls.add("delete " + installation.installationId());
        items.remove(installation.key());
        return true;
    }

    @Override
    public List<InstallationKey> findByEndpoint(String endpointArn) {
        return items.values().stream().filter(i -> i.endpointArn().equals(endpointArn)).map(Installation::key)
                .sorted(Comparator.comparing(InstallationKey::installationId)).toList();
    }

    @Override
    public List<InstallationKey> findByInstallationId(String installationId) {
        return items.values().stream().filter(i -> i.installationId().equals(installationId)).map(Installation::key)
                .sorted(Comparator.comparing(InstallationKey::fiscalCode)).toList();
    }

    public List<Installation> all() {
        return List.copyOf(items.values());
    }
}
