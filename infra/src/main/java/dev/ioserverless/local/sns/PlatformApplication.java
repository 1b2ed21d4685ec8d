package dev.ioserverless.local.sns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A mobile push platform application ({@code arn:aws:sns:REGION:ACCOUNT:app/PLATFORM/NAME}).
 * Immutable: SetPlatformApplicationAttributes replaces it with {@link #with}. {@code attributes}
 * are the attributes as the caller set them, credentials included; {@link #describe} leaves the
 * credentials out, as SNS does.
 */
record PlatformApplication(String arn, String name, String platform, Map<String, String> attributes) {

    /** The platforms the emulator accepts: the ones IO pushes to. */
    static final Set<String> PLATFORMS = Set.of("APNS", "APNS_SANDBOX", "GCM");

    /** Attributes SNS stores but never returns. */
    private static final Set<String> SECRET_ATTRIBUTES = Set.of("PlatformCredential", "PlatformPrincipal");

    boolean enabled() {
        return !"false".equalsIgnoreCase(attributes.get("Enabled"));
    }

    PlatformApplication with(Map<String, String> changes) {
        Map<String, String> changed = new LinkedHashMap<>(attributes);
        changes.forEach((key, value) -> {
            if (value == null || value.isEmpty()) {
                changed.remove(key);
            } else {
                changed.put(key, value);
            }
        });
        return new PlatformApplication(arn, name, platform, Map.copyOf(changed));
    }

    /** The attributes GetPlatformApplicationAttributes and ListPlatformApplications report. */
    Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Enabled", Boolean.toString(enabled()));
        attributes.forEach((key, value) -> {
            if (!SECRET_ATTRIBUTES.contains(key) && !key.equals("Enabled")) {
                out.put(key, value);
            }
        });
        return out;
    }
}
