package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * How a citizen's per-service preferences are interpreted (IO's {@code ServicesPreferencesMode}).
 *
 * <ul>
 *   <li>{@link #LEGACY}: the profile's {@code blocked_inbox_or_channels} map decides; service
 *       preference records are not used.
 *   <li>{@link #AUTO}: every service may write unless the citizen turned its inbox off.
 *   <li>{@link #MANUAL}: only services the citizen explicitly turned on may write.
 * </ul>
 */
public enum ServicePreferencesMode {
    LEGACY,
    AUTO,
    MANUAL;

    /** The settings version IO gives a profile in LEGACY mode, where versions are not used. */
    public static final int LEGACY_VERSION = -1;

    public static Optional<ServicePreferencesMode> fromName(String name) {
        for (ServicePreferencesMode mode : values()) {
            if (mode.name().equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
