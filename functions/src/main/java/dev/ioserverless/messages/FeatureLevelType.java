package dev.ioserverless.messages;

import java.util.Optional;

/** IO's message feature level: ADVANCED (premium) messages need group ApiMessageWriteAdvanced. */
public enum FeatureLevelType {
    STANDARD,
    ADVANCED;

    public static Optional<FeatureLevelType> fromName(String name) {
        for (FeatureLevelType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
