package dev.ioserverless.push;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PushDeliveryLedger} in memory with the DynamoDB one's conditions; it records calls and can fail. */
public final class InMemoryPushDeliveryLedger implements PushDeliveryLedger {
    record Entry(String status, Instant leaseUntil) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failMarkSentWith;
    public volatile RuntimeException failClaimWith;

    /** Calls are recorded as {@code "<call> <installation>"} for the message push, {@code "<call> <kind> <installation>"} otherwise. */
    private static String call(String name, String kind, String installationId) {
        return MESSAGE.equals(kind) ? name + " " + installationId : name + " " + kind + " " + installationId;
    }

    @Override
    public synchronized Claim claim(String messageId, String kind, String installationId, Instant now) {
        calls.add(call("claim", kind, installationId));
        if (failClaimWith != null) {
            throw failClaimWith;
        }
        Entry current = entries.get(key(messageId, kind, installationId));
        if (current != null) {
            if (current.status().equals("SENT")) {
                return Claim.ALREADY_SENT;
            }
            if (current.status().equals("PENDING") && !current.leaseUntil().isBefore(now)) {
                return Claim.IN_PROGRESS;
            }
        }
        entries.put(key(messageId, kind, installationId), new Entry("PENDING", now.plus(LEASE)));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized void markSent(String messageId, String kind, String installationId, Instant at) {
        calls.add(call("markSent", kind, installationId));
        if (failMarkSentWith != null) {
            throw failMarkSentWith;
        }
        entries.put(key(messageId, kind, installationId), new Entry("SENT", null));
    }

    @Override
    public synchronized void markFailed(String messageId, String kind, String installationId, Instant at) {
        calls.add(call("markFailed", kind, installationId));
        Entry current = entries.get(key(messageId, kind, installationId));
        if (current == null || !current.status().equals("SENT")) {
            entries.put(key(messageId, kind, installationId), new Entry("FAILED", null));
        }
    }

    @Override
    public synchronized void release(String messageId, String kind, String installationId) {
        calls.add(call("release", kind, installationId));
        Entry current = entries.get(key(messageId, kind, installationId));
        if (current != null && current.status().equals("PENDING")) {
            entries.remove(key(messageId, kind, installationId));
        }
    }

    /** Puts an entry of the message push as another worker would have left it. */
    void put(String messageId, String installationId, String status, Instant leaseUntil) {
        entries.put(key(messageId, MESSAGE, installationId), new Entry(status, leaseUntil));
    }

    /** The status of the message push's entry for the device. */
    String status(String messageId, String installationId) {
        return status(messageId, MESSAGE, installationId);
    }

    public String status(String messageId, String kind, String installationId) {
        Entry entry = entries.get(key(messageId, kind, installationId));
        return entry == null ? null : entry.status();
    }

    private static String key(String messageId, String kind, String installationId) {
        return messageId + "|" + kind + "|" + installationId;
    }
}
