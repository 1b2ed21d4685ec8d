package dev.ioserverless.push;

import java.time.Clock;
import java.util.List;

/**
 * Pushing one notification to each of a citizen's devices, at most once per (message, kind,
 * device): each push is guarded by the {@link PushDeliveryLedger}, so repeating a delivery (a
 * redelivered event, a scheduled run repeated after a crash) skips the devices already served.
 *
 * <ul>
 *   <li>An endpoint SNS reports disabled (the provider said its token is dead) or gone is pruned:
 *       the installation is deleted, unless it was registered again meanwhile, and so is the
 *       endpoint. The app registers again, with a fresh token, the next time it starts.
 *   <li>Throttling stops the delivery: the devices after it are not tried. Throttling and any other
 *       SNS or ledger failure leave the delivery incomplete ({@link Result#complete()}); the
 *       claims of the devices not pushed are given back, so a retry pushes exactly those.
 * </ul>
 *
 * This is the push capability's published way to reach a citizen's phones; the message push and
 * the payment reminders both use it.
 */
public final class PushDelivery {
    private final InstallationStore installations;
    private final PushDeliveryLedger ledger;
    private final PushEndpoints endpoints;
    private final Clock clock;

    public PushDelivery(InstallationStore installations, PushDeliveryLedger ledger, PushEndpoints endpoints, Clock clock) {
        this.installations = installations;
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /**
     * @param devices the devices tried
     * @param sent devices pushed now
     * @param alreadySent devices pushed by an earlier delivery of the same kind
     * @param inProgress devices another worker is pushing right now
     * @param failed devices whose endpoint was disabled or gone
     * @param pruned installations deleted because of that
     * @param throttled whether SNS throttled (the devices after it were not tried)
     * @param errors devices not pushed because of another failure
     * @param unrecorded devices pushed (or failed) whose ledger entry could not be written; their
     *     PENDING marker expires with its lease
     * @param firstError the first of those failures, for the log
     */
    public record Result(int devices, int sent, int alreadySent, int inProgress, int failed, int pruned,
                         boolean throttled, int errors, int unrecorded, RuntimeException firstError) {

        /** Devices that have the notification: pushed now or before. */
        public int delivered() {
            return sent + alreadySent;
        }

        /** Every device was dealt with: it has the notification, or its endpoint is disabled or gone. */
        public boolean complete() {
            return !throttled && errors == 0 && inProgress == 0;
        }
    }

    /** Pushes {@code notification} as {@code kind} of message {@code messageId} to each of {@code devices}, in order. */
    public Result deliver(String messageId, String kind, List<Installation> devices, PushNotification notification) {
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
            String installationId = device.installationId();
            PushDeliveryLedger.Claim claim;
            try {
                claim = ledger.claim(messageId, kind, installationId, clock.instant());
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
                releaseQuietly(messageId, kind, installationId);
                continue;
            } catch (RuntimeException e) {
                if (dev.ioserverless.common.Failures.mayHaveBeenServed(e)) {
                    // SNS may have delivered it and only the answer was lost: at most one push per
                    // device, so it counts as made and is never published again.
                    sent++;
                    try {
                        ledger.markSent(messageId, kind, installationId, clock.instant());
                    } catch (RuntimeException markFailure) {
                        unrecorded++;
                    }
                    continue;
                }
                errors++;
                firstError = firstError == null ? e : firstError;
                releaseQuietly(messageId, kind, installationId);
                continue;
            }
            if (result == PushEndpoints.PublishResult.DELIVERED) {
                sent++;
                try {
                    ledger.markSent(messageId, kind, installationId, clock.instant());
                } catch (RuntimeException e) {
                    // The device got the push; only its SENT mark is missing. Not a reason to retry
                    // (a retry would push it again once the PENDING lease ran out), just reported.
                    unrecorded++;
                }
            } else {
                failed++;
                try {
                    ledger.markFailed(messageId, kind, installationId, clock.instant());
                } catch (RuntimeException e) {
                    // The PENDING marker expires with its lease; a FAILED entry may be claimed again anyway.
                    unrecorded++;
                }
                if (prune(device)) {
                    pruned++;
                }
            }
        }
        return new Result(devices.size(), sent, alreadySent, inProgress, failed, pruned, throttled, errors, unrecorded,
                firstError);
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

    private void releaseQuietly(String messageId, String kind, String installationId) {
        try {
            ledger.release(messageId, kind, installationId);
        } catch (RuntimeException e) {
            // The claim then simply expires with its lease.
        }
    }
}
