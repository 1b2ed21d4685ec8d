package dev.ioserverless.push;

import java.time.Instant;

/** Where a message's push channel status is kept, for the message views to show. */
public interface NotificationStatusStore {

    /**
     * Records the status on the message. {@link NotificationStatus#SENT} is final: once recorded it
     * is never replaced.
     *
     * @return false when nothing was written: the message does not exist, or is already SENT
     */
    boolean record(String messageId, NotificationStatus status, Instant at);
}
