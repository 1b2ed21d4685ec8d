package dev.ioserverless.services;

/** Each service has two API keys, so one can be regenerated while the other stays in use. */
public enum ApiKeySlot {
    PRIMARY("primary"),
    SECONDARY("secondary");

    private final String value;

    ApiKeySlot(String value) {
        this.value = value;
    }

    /** The stored form, {@code primary} or {@code secondary}. */
    public String value() {
        return value;
    }

    public static ApiKeySlot fromValue(String value) {
        for (ApiKeySlot slot : values()) {
            if (slot.value.equals(value)) {
                return slot;
            }
        }
        throw new IllegalArgumentException("unknown API key slot " + value);
    }
}
