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

    public static Optional<Platform> fromValue(String value) {
        for (Platform platform : values()) {
            if (platform.value.equals(value)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
