package dev.ioserverless.services;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a request fits in its service's rate limit.
 *
 * @param limit the service's requests per window
 * @param cost what this request counts for
 * @param remaining requests still allowed in the current window (after this one, when admitted)
 * @param retryAfterSeconds whole seconds until the window ends, at least 1
 */
public record RateLimitDecision(boolean allowed, int limit, int cost, long remaining, long retryAfterSeconds) {
    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    /** The headers every response after the rate limit carries; a rejection adds Retry-After. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIMIT_HEADER, Integer.toString(limit));
        headers.put(REMAINING_HEADER, Long.toString(remaining));
        if (!allowed) {
            headers.put(RETRY_AFTER_HEADER, Long.toString(retryAfterSeconds));
        }
        return headers;
    }
}
