package dev.ioserverless.messages;

import java.util.Optional;

/**
 * When a third-party message shows its precondition (IO's {@code HasPrecondition}): on every
 * opening ({@code ALWAYS}), until the citizen has accepted it once ({@code ONCE}), or never.
 */
public enum HasPrecondition {
    ALWAYS, ONCE, NEVER;

    public static Optional<HasPrecondition> fromName(String name) {
        for (HasPrecondition value : values()) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Whether the citizen sees a precondition before the content, at least once. */
    public boolean applies() {
        return this != NEVER;
    }
}
