package dev.ioserverless.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link IdempotencyStore} in memory with the DynamoDB one's conditions; it records every
 * call and can be told to fail.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, IdempotencyRecord> records = new ConcurrentHashMap<>();
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failWith;
    /** Fails this many of the next complete/release calls, then works again (a passing fault). */
    public volatile int transientFailures;

    @Override
    public synchronized boolean tryClaim(IdempotencyRecord claim, Instant now) {
        calls.add("claim " + claim.key());
        fail();
        if (!IdempotencyPolicy.isClaimable(records.get(claim.key()), now)) {
            return false;
        }
        records.put(claim.key(), claim);
        return true;
    }

    @Override
    public Optional<IdempotencyRecord> find(String key) {
        calls.add("find " + key);
        fail();
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public synchronized boolean complete(IdempotencyRecord claim, ApiResponse response) {
        calls.add("complete " + claim.key());
        fail();
        if (!isStillClaimedBy(claim)) {
            return false;
        }
        records.put(claim.key(), records.get(claim.key()).completed(response));
        return true;
    }

    @Override
    public synchronized boolean release(IdempotencyRecord claim) {
        calls.add("release " + claim.key());
        fail();
        if (!isStillClaimedBy(claim)) {
            return false;
        }
        records.remove(claim.key());
        return true;
    }

    private final Map<String, Map.Entry<String, List<String>>> reservations = new ConcurrentHashMap<>();

    @Override
    public synchronized Optional<List<String>> reserveIds(String key, String requestHash, List<String> fresh,
                                                          Instant now, java.time.Duration retention) {
        calls.add("reserve " + key);
        fail();
        Map.Entry<String, List<String>> existing = reservations.putIfAbsent(key, Map.entry(requestHash, List.copyOf(fresh)));
        if (existing == null) {
            return Optional.of(fresh);
        }
        return existing.getKey().equals(requestHash) && existing.getValue().size() == fresh.size()
                ? Optional.of(existing.getValue()) : Optional.empty();
    }

    private boolean isStillClaimedBy(IdempotencyRecord claim) {
        IdempotencyRecord current = records.get(claim.key());
        return current != null && current.claimId().equals(claim.claimId())
                && current.state() == IdempotencyRecord.State.IN_PROGRESS;
    }

    private void fail() {
        if (failWith != null) {
            throw failWith;
        }
        if (transientFailures > 0) {
            transientFailures--;
            throw new IllegalStateException("passing fault");
        }
    }

    /** Puts a record as is (test setup). */
    public void put(IdempotencyRecord record) {
        records.put(record.key(), record);
    }

    public Optional<IdempotencyRecord> get(String key) {
        return Optional.ofNullable(records.get(key));
    }

    public int size() {
        return records.size();
    }
}
