package dev.ioserverless.push;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PushDeliveryLedger} in memory with the DynamoDB one's conditions; it records calls and can fail. */
final class InMemoryPushDeliveryLedger implements PushDeliveryLedger {
    record Entry(String status, Instant leaseUntil) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile RuntimeException failMarkSentWith;
    volatile RuntimeException failClaimWith;

    @Override
    public synchronized Claim claim(String messageId, String installationId, Instant now) {
        calls.add("claim " + installationId);
        if (failClaimWith != null) {
            throw failClaimWith;
        }
        Entry current = entries.get(key(messageId, installationId));
        if (current != null) {
            if (current.status().equals("SENT")) {
                return Claim.ALREADY_SENT;
            }
            if (current.status().equals("PENDING") && !current.leaseUntil().isBefore(now)) {
                return Claim.IN_PROGRESS;
            }
        }
        entries.put(key(messageId, installationId), new Entry("PENDING", now.plus(LEASE)));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized void markSent(String messageId, String installationId, Instant at) {
        calls.add("markSent " + installationId);
        if (failMarkSentWith != null) {
            throw failMarkSentWith;
        }
        entries.put(key(messageId, installationId), new Entry("SENT", null));
    }

    @Override
    public synchronized void markFailed(String messageId, String installationId, Instant at) {
        calls.add("markFailed " + installationId);
        Entry current = entries.get(key(messageId, installationId));
        if (current == null || !current.status().equals("SENT")) {
            entries.put(key(messageId, installationId), new Entry("FAILED", null));
        }
    }

    @Override
    public synchronized void release(String messageId, String installationId) {
        calls.add("release " + installationId);
        Entry current = entries.get(key(messageId, installationId));
        if (current != null && current.status().equals("PENDING")) {
            entries.remove(key(messageId, installationId));
        }
    }

    /** Puts an entry as another worker would have left it. */
    void put(String messageId, String installationId, String status, Instant leaseUntil) {
        entries.put(key(messageId, installationId), new Entry(status, leaseUntil));
    }

    String status(String messageId, String installationId) {
        Entry entry = entries.get(key(messageId, installationId));
        return entry == null ? null : entry.status();
    }

    private static String key(String messageId, String installationId) {
        return messageId + "|" + installationId;
    }
}
