package dev.ioserverless.email;

import dev.ioserverless.messages.NotificationChannelStatus;
import java.time.Instant;

/** The email channel's status of a message, what the sender reads as {@code notification.email}. */
public interface EmailStatuses {

    /** Records it, unless SENT is there already (SENT is final); false when nothing was written. */
    boolean record(String messageId, NotificationChannelStatus status, Instant at);
}
