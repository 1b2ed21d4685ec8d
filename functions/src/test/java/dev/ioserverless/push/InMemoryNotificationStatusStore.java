package dev.ioserverless.push;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NotificationStatusStore} in memory: only known messages, SENT final; it records every call. */
final class InMemoryNotificationStatusStore implements NotificationStatusStore {
    private final Set<String> messages = ConcurrentHashMap.newKeySet();
    private final Map<String, NotificationStatus> statuses = new ConcurrentHashMap<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    void addMessage(String messageId) {
        messages.add(messageId);
    }

    @Override
    public synchronized boolean record(String messageId, NotificationStatus status, Instant at) {
        calls.add(messageId + " " + status);
        if (!messages.contains(messageId) || statuses.get(messageId) == NotificationStatus.SENT) {
            return false;
        }
        statuses.put(messageId, status);
        return true;
    }

    NotificationStatus status(String messageId) {
        return statuses.get(messageId);
    }
}
