package dev.ioserverless.common;

import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A function's configuration: exactly the variables its template {@code Environment} declares,
 * plus the runtime's own (region, endpoints). Lambda reads it from the process environment; the
 * local platform builds it from the template and injects it.
 *
 * <p>It also carries the clock the function's collaborators tell time by: the system's UTC clock,
 * unless the local platform was given another (so a test can hold time still).
 */
public final class Config {
    private final Map<String, String> values;
    private final Clock clock;

    private Config(Map<String, String> values, Clock clock) {
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
        this.clock = clock;
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv(), Clock.systemUTC());
    }

    public static Config of(Map<String, String> values) {
        return new Config(values, Clock.systemUTC());
    }

    public Clock clock() {
        return clock;
    }

    /** A copy that tells time by {@code value}. */
    public Config withClock(Clock value) {
        return new Config(values, value);
    }

    public Optional<String> find(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String get(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    public String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("missing configuration " + name));
    }

    public int getInt(String name, int fallback) {
        return find(name).map(Integer::parseInt).orElse(fallback);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** A copy with some values added or replaced. */
    public Config with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Config(merged, clock);
    }
}
