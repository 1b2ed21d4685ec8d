package dev.ioserverless.profiles;

import java.time.Instant;

/** Counts attempts per key in fixed windows, across every Lambda instance: the email validation's rate limits. */
public interface AttemptCounter {

    /**
     * Counts one attempt under {@code key} in the window that starts at {@code windowStart}, unless
     * {@code limit} attempts were counted there already (atomically).
     *
     * @return false when the window is full (the attempt is not counted)
     */
    boolean tryCount(String key, Instant windowStart, Instant windowEnd, int limit);
}
