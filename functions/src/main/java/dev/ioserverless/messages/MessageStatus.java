package dev.ioserverless.messages;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A message's processing status (IO's {@code MessageStatusValue}) and the transitions allowed
 * between statuses.
 *
 * <pre>
 *   ACCEPTED --> PROCESSED | REJECTED | FAILED
 *   FAILED   --> PROCESSED | REJECTED
 *   PROCESSED, REJECTED: final
 * </pre>
 *
 * <ul>
 *   <li>ACCEPTED is only ever the initial status; nothing moves back to it.
 *   <li>PROCESSED and REJECTED are final: once a citizen's inbox got the message (or the
 *       decision was that it must not), a later event cannot undo that.
 *   <li>FAILED is not final. It records that delivery could not be completed (the message
 *       exhausted its retries and reached the dead-letter queue, or could not be queued at
 *       submission). An operator redriving the dead letters, or a retry that was still in flight
 *       when the dead-letter handler ran, may still process the message, and the status must
 *       then say what really happened: PROCESSED (the MessageProcessed event is out) or
 *       REJECTED.
 *   <li>Requesting the status (and rejection reason) a message already has is a no-op,
 *       {@link StatusChange#UNCHANGED}, never an error; any other disallowed transition is
 *       {@link StatusChange#REFUSED}, also not an error.
 * </ul>
 */
public enum MessageStatus {
    ACCEPTED,
    PROCESSED,
    REJECTED,
    FAILED;

    /** PROCESSED and REJECTED: no transition leaves them. */
    public boolean isFinal() {
        return this == PROCESSED || this == REJECTED;
    }

    /** Whether a message in this status may move to {@code next} (a different status). */
    public boolean canMoveTo(MessageStatus next) {
        return next != this && next != ACCEPTED && !isFinal();
    }

    /** The statuses from which {@code target} may be reached. */
    public static Set<MessageStatus> allowedPriorsOf(MessageStatus target) {
        Set<MessageStatus> priors = EnumSet.noneOf(MessageStatus.class);
        for (MessageStatus status : values()) {
            if (status.canMoveTo(target)) {
                priors.add(status);
            }
        }
        return priors;
    }

    /**
     * What requesting {@code target} (with {@code targetReason}) does to a message currently in
     * {@code current} (with {@code currentReason}).
     */
    public static StatusChange evaluate(
            MessageStatus current, RejectionReason currentReason, MessageStatus target, RejectionReason targetReason) {
        if (current == target && Objects.equals(currentReason, targetReason)) {
            return StatusChange.UNCHANGED;
        }
        return current.canMoveTo(target) ? StatusChange.APPLIED : StatusChange.REFUSED;
    }

    /** A REJECTED transition needs a reason, and only a REJECTED one may carry it. */
    public static void checkReason(MessageStatus target, RejectionReason reason) {
        if ((target == REJECTED) != (reason != null)) {
            throw new IllegalArgumentException(target == REJECTED
                    ? "a REJECTED status needs a rejection reason"
                    : "only a REJECTED status carries a rejection reason");
        }
    }
}
