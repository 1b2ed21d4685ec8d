package dev.ioserverless.profiles;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link AttemptCounter} in memory. */
class InMemoryAttemptCounter implements AttemptCounter {
    final Map<String, Integer> counts = new HashMap<>();

    @Override
    public synchronized boolean tryCount(String key, Instant windowStart, Instant windowEnd, int limit) {
        String item = key + "#" + windowStart.getEpochSecond();
        int count = counts.getOrDefault(item, 0);
        if (count >= limit) {
            return false;
        }
        counts.put(item, count + 1);
        return true;
    }
}
