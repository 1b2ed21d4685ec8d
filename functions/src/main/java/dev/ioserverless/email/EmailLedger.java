package dev.ioserverless.email;

import java.time.Instant;

/**
 * One record per message of its notification email, so that at most one goes out however often
 * the queue delivers the event: a delivery claims the record before it sends, and only an absent
 * record or a THROTTLED one (SES refused it, nothing went out) can be claimed.
 */
public interface EmailLedger {

    /** Claims the message's email for this attempt; false when it is sent, being sent, or given up. */
    boolean claim(String messageId, String attempt, Instant at);

    /** Records how the claimed attempt ended: SENT, THROTTLED (claimable again), EXPIRED or FAILED. */
    void settle(String messageId, String attempt, String status, Instant at);
}
