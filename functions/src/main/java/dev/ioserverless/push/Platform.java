package dev.ioserverless.push;

import java.util.Optional;

/**
 * The push service a device is reached through, as an installation names it: {@code apns}
 * (Apple) or {@code fcm} (Firebase Cloud Messaging, SNS's platform {@code GCM}).
 */
public enum Platform {
    APNS("apns"),
    FCM("fcm");

    private final String value;

    Platform(String value) {
        this.value = value;
    }

    /** The value stored in the installations table and used by the citizen API. */
    public String value() {
        return value;
    }

    /**
     * The platform an installation names: ours ({@code apns}, {@code fcm}) or the IO app's
     * ({@code gcm} and {@code fcmv1}, both Firebase).
     */
    public static Optional<Platform> fromValue(String value) {
        if ("gcm".equals(value) || "fcmv1".equals(value)) {
            return Optional.of(FCM);
        }
        for (Platform platform : values()) {
            if (platform.value.equals(value)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
