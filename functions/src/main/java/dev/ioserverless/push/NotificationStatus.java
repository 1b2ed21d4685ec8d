package dev.ioserverless.push;

/**
 * The status of a message's push channel, IO's {@code notification.webhook}
 * ({@code NotificationChannelStatusValue}). Absent when the citizen has no device, as in IO.
 */
public enum NotificationStatus {
    /** At least one device got the push. Final: never replaced by another status. */
    SENT,
    /** SNS throttled the pushes; they are being retried. */
    THROTTLED,
    /** The message's time to live ran out before it could be pushed; nothing was sent. */
    EXPIRED,
    /** No device could be reached (every endpoint disabled or gone). */
    FAILED
}
