package dev.ioserverless.push;

import dev.ioserverless.messages.MessageProcessedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pushing a processed message's notification to every device of its recipient, and recording the
 * outcome as the message's push channel status (IO's {@code notification.webhook}).
 *
 * <ul>
 *   <li>Past its time to live ({@code created_at + time_to_live}) a message is not pushed: EXPIRED.
 *   <li>A citizen without installations gets nothing, and the message no channel status.
 *   <li>Otherwise one push per installation, each guarded by the {@link PushDeliveryLedger} so a
 *       redelivered event never pushes a device twice. SENT when at least one device got it (now or
 *       on an earlier delivery); FAILED when every endpoint was disabled or gone; THROTTLED when SNS
 *       throttled before any device got it.
 *   <li>An endpoint SNS reports disabled (the provider said its token is dead) or gone is pruned:
 *       the installation is deleted, unless it was registered again meanwhile, and so is the endpoint.
 *       The app registers again, with a fresh token, the next time it starts.
 *   <li>Throttling stops the pushes for this event; it and any other SNS or store failure ask for a
 *       retry ({@link Result#retry()}). Devices already pushed are skipped on the retry.
 * </ul>
 */
public final class PushNotifier {
    private final InstallationStore installations;
    private final PushDeliveryLedger ledger;
    private final NotificationStatusStore statuses;
    private final PushEndpoints endpoints;
    private final SenderNames senderNames;
    private final MessageTitles titles;
    private final Clock clock;

    public PushNotifier(InstallationStore installations, PushDeliveryLedger ledger, NotificationStatusStore statuses,
                        PushEndpoints endpoints, SenderNames senderNames, MessageTitles titles, Clock clock) {
        this.installations = installations;
        this.ledger = ledger;
        this.statuses = statuses;
        this.endpoints = endpoints;
        this.senderNames = senderNames;
        this.titles = titles;
        this.clock = clock;
    }

    public enum Outcome {
        /** Past the message's time to live: nothing pushed, status EXPIRED. */
        EXPIRED,
        /** The citizen has no device: nothing pushed, no status. */
        NO_INSTALLATIONS,
        /** The citizen's devices were pushed to (see the counts). */
        PUSHED
    }

    /**
     * @param status the status recorded (or that would have been, see {@code statusRecorded}); null
     *     when none applies yet
     * @param statusRecorded false when the store kept an earlier SENT or the message does not exist
     * @param devices the citizen's installations
     * @param sent devices pushed now
     * @param alreadySent devices pushed by an earlier delivery of the event
     * @param inProgress devices another worker is pushing right now
     * @param failed devices whose endpoint was disabled or gone
     * @param pruned installations deleted because of that
     * @param throttled whether SNS throttled
     * @param errors devices not pushed because of another failure
     * @param unrecorded devices pushed (or failed) whose ledger entry could not be written; their
     *     PENDING marker expires with its lease
     * @param retry whether the event should be delivered again
     * @param firstError the first of those failures, for the log
     */
    public record Result(Outcome outcome, NotificationStatus status, boolean statusRecorded, int devices, int sent,
                         int alreadySent, int inProgress, int failed, int pruned, boolean throttled, int errors,
                         int unrecorded, boolean retry, RuntimeException firstError) {
    }

    public Result notify(MessageProcessedEvent event) {
        Instant now = clock.instant();
        Instant expiry = event.createdAt().plusSeconds(event.timeToLive());
        if (now.isAfter(expiry)) {
            boolean recorded = statuses.record(event.messageId(), NotificationStatus.EXPIRED, now);
            return new Result(Outcome.EXPIRED, NotificationStatus.EXPIRED, recorded, 0, 0, 0, 0, 0, 0, false, 0, 0,
                    false, null);
        }
        List<Installation> devices = installations.findAll(event.fiscalCode());
        if (devices.isEmpty()) {
            return new Result(Outcome.NO_INSTALLATIONS, null, false, 0, 0, 0, 0, 0, 0, false, 0, 0, false, null);
        }
        boolean anonymous = event.requireSecureChannels() || !event.fullPushContent();
        PushNotification notification = PushNotification.newMessage(event.messageId(),
                anonymous ? Optional.empty() : nicety(() -> senderNames.nameOf(event.senderServiceId())),
                anonymous ? Optional.empty() : nicety(() -> titles.titleOf(event.messageId())),
                anonymous, Duration.between(now, expiry));

        int sent = 0;
        int alreadySent = 0;
        int inProgress = 0;
        int failed = 0;
        int pruned = 0;
        int errors = 0;
        int unrecorded = 0;
        boolean throttled = false;
        RuntimeException firstError = null;
        for (Installation device : devices) {
            if (throttled) {
                break;
            }
            PushDeliveryLedger.Claim claim;
            try {
                claim = ledger.claim(event.messageId(), device.installationId(), clock.instant());
            } catch (RuntimeException e) {
                errors++;
                firstError = firstError == null ? e : firstError;
                continue;
            }
            if (claim == PushDeliveryLedger.Claim.ALREADY_SENT) {
                alreadySent++;
                continue;
            }
            if (claim == PushDeliveryLedger.Claim.IN_PROGRESS) {
                inProgress++;
                continue;
            }
            PushEndpoints.PublishResult result;
            try {
                result = endpoints.publish(device.endpointArn(), device.platform(), notification);
            } catch (PushThrottledException e) {
                throttled = true;
                releaseQuietly(event.messageId(), device.installationId());
                continue;
            } catch (RuntimeException e) {
                errors++;
                firstError = firstError == null ? e : firstError;
                releaseQuietly(event.messageId(), device.installationId());
                continue;
            }
            if (result == PushEndpoints.PublishResult.DELIVERED) {
                sent++;
                try {
                    ledger.markSent(event.messageId(), device.installationId(), clock.instant());
                } catch (RuntimeException e) {
                    // The device got the push; only its SENT mark is missing. Not a reason to retry
                    // (a retry would push it again once the PENDING lease ran out), just reported.
                    unrecorded++;
                }
            } else {
                failed++;
                try {
                    ledger.markFailed(event.messageId(), device.installationId(), clock.instant());
                } catch (RuntimeException e) {
                    // The PENDING marker expires with its lease; a FAILED pair may be claimed again anyway.
                    unrecorded++;
                }
                if (prune(device)) {
                    pruned++;
                }
            }
        }

        NotificationStatus status = null;
        if (sent + alreadySent > 0) {
            status = NotificationStatus.SENT;
        } else if (throttled) {
            status = NotificationStatus.THROTTLED;
        } else if (failed == devices.size()) {
            status = NotificationStatus.FAILED;
        }
        boolean recorded = false;
        if (status != null) {
            recorded = statuses.record(event.messageId(), status, clock.instant());
        }
        return new Result(Outcome.PUSHED, status, recorded, devices.size(), sent, alreadySent, inProgress, failed,
                pruned, throttled, errors, unrecorded, throttled || errors > 0, firstError);
    }

    /** The sender's name and the subject are niceties: without them the notification is simply generic. */
    private static Optional<String> nicety(java.util.function.Supplier<Optional<String>> lookup) {
        try {
            return lookup.get();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes an installation whose endpoint is disabled or gone, and the endpoint; false if it changed meanwhile. */
    private boolean prune(Installation device) {
        try {
            if (!installations.deleteIfUnchanged(device)) {
                return false;
            }
            endpoints.delete(device.endpointArn());
            return true;
        } catch (RuntimeException e) {
            // Pruning is housekeeping; the next push to this device tries again.
            return false;
        }
    }

    private void releaseQuietly(String messageId, String installationId) {
        try {
            ledger.release(messageId, installationId);
        } catch (RuntimeException e) {
            // The claim then simply expires with its lease.
        }
    }

}
