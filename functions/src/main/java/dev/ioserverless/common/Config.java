package dev.ioserverless.common;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A function's configuration: exactly the variables its template {@code Environment} declares,
 * plus the runtime's own (region, endpoints). Lambda reads it from the process environment; the
 * local platform builds it from the template and injects it.
 */
public final class Config {
    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    public static Config of(Map<String, String> values) {
        return new Config(values);
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
        return new Config(merged);
    }
}
