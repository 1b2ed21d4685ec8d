package dev.ioserverless.messages;

import java.util.Optional;

/**
 * The status of one notification channel of a message, IO's {@code NotificationChannelStatusValue}:
 * what {@code notification.webhook} (the push channel) reports.
 */
public enum NotificationChannelStatus {
    /** Delivered to at least one of the citizen's devices. */
    SENT,
    /** Delayed by throttling; being retried. */
    THROTTLED,
    /** The message's time to live ran out before it could be sent; nothing was sent. */
    EXPIRED,
    /** Could not be delivered. */
    FAILED;

    /** The status with this exact name; empty for a name this version does not know. */
    public static Optional<NotificationChannelStatus> fromName(String name) {
        for (NotificationChannelStatus status : values()) {
            if (status.name().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
