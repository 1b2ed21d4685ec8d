package dev.ioserverless.documents;

import java.util.Map;

/**
 * Seals and opens the keys of remote-content configurations: KMS in AWS, bound to the
 * configuration and environment it belongs to (a sealed key copied to another configuration does
 * not open there).
 */
public interface KeyVault {

    /** The sealed form of {@code key}, safe to store; {@code context} names what it belongs to. */
    String seal(String key, Map<String, String> context);

    /** The key sealed under {@code context}. */
    String open(String sealed, Map<String, String> context);

    /** What a configuration's key is sealed under. */
    static Map<String, String> context(String configurationId, String environment) {
        return Map.of("configuration_id", configurationId, "environment", environment);
    }
}
