package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * Whether a citizen lets a service know if they read its (ADVANCED) messages: IO's
 * {@code AccessReadMessageStatus} of a service preference. Only DENY withholds it; UNKNOWN (the
 * citizen never chose) and an absent value allow it, as in IO.
 */
public enum AccessReadMessageStatus {
    ALLOW,
    DENY,
    UNKNOWN;

    public boolean allows() {
        return this != DENY;
    }

    public static Optional<AccessReadMessageStatus> fromName(String name) {
        for (AccessReadMessageStatus value : values()) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
