package dev.ioserverless.local.sns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's platform endpoint ({@code arn:aws:sns:REGION:ACCOUNT:endpoint/PLATFORM/APP/UUID}).
 * Immutable: SetEndpointAttributes replaces it. {@code attributes} always hold {@code Token} and
 * {@code Enabled} ("true" or "false"), and {@code CustomUserData} when it was given.
 * {@code created} orders endpoints that share a token.
 */
record PlatformEndpoint(String arn, String applicationArn, String platform, Map<String, String> attributes,
                        long created) {

    static final String TOKEN = "Token";
    static final String ENABLED = "Enabled";
    static final String CUSTOM_USER_DATA = "CustomUserData";

    String token() {
        return attributes.get(TOKEN);
    }

    boolean enabled() {
        return "true".equals(attributes.get(ENABLED));
    }

    PlatformEndpoint with(Map<String, String> changes) {
        Map<String, String> changed = new LinkedHashMap<>(attributes);
        changed.putAll(changes);
        return new PlatformEndpoint(arn, applicationArn, platform, Map.copyOf(changed), created);
    }
}
