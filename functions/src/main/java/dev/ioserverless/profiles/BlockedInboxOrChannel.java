package dev.ioserverless.profiles;

import java.util.Optional;

/** What a citizen can block for a service in LEGACY mode (IO's {@code BlockedInboxOrChannel}). */
public enum BlockedInboxOrChannel {
    INBOX,
    EMAIL,
    WEBHOOK;

    /** The channel with this exact name; empty for a name this version does not know. */
    public static Optional<BlockedInboxOrChannel> fromName(String name) {
        for (BlockedInboxOrChannel channel : values()) {
            if (channel.name().equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }
}
