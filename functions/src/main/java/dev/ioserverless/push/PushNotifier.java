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
 *   <li>A citizen without installations, or who turned pushes off or blocked the sender's
 *       ({@link MessageProcessedEvent#pushEnabled()}), gets nothing, and the message no channel status.
 *   <li>Otherwise one push per installation ({@link PushDelivery}, kind
 *       {@link PushDeliveryLedger#MESSAGE}), each guarded by the ledger so a redelivered event never
 *       pushes a device twice; disabled or gone endpoints are pruned. SENT when at least one device
 *       got it (now or on an earlier delivery); FAILED when every endpoint was disabled or gone;
 *       THROTTLED when SNS throttled before any device got it.
 *   <li>Throttling stops the pushes for this event; it and any other SNS or store failure ask for a
 *       retry ({@link Result#retry()}). Devices already pushed are skipped on the retry.
 * </ul>
 */
public final class PushNotifier {
    private final InstallationStore installations;
    private final PushDelivery pushes;
    private final NotificationStatusStore statuses;
    private final SenderNames senderNames;
    private final MessageTitles titles;
    private final Clock clock;

    public PushNotifier(InstallationStore installations, PushDeliveryLedger ledger, NotificationStatusStore statuses,
                        PushEndpoints endpoints, SenderNames senderNames, MessageTitles titles, Clock clock) {
        this.installations = installations;
        this.pushes = new PushDelivery(installations, ledger, endpoints, clock);
        this.statuses = statuses;
        this.senderNames = senderNames;
        this.titles = titles;
        this.clock = clock;
    }

    public enum Outcome {
        /** Past the message's time to live: nothing pushed, status EXPIRED. */
        EXPIRED,
        /** The citizen has no device: nothing pushed, no status. */
        NO_INSTALLATIONS,
        /** The citizen turned pushes off or blocked the sender's: nothing pushed, no status. */
        PUSH_DISABLED,
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
        if (!event.pushEnabled()) {
            return new Result(Outcome.PUSH_DISABLED, null, false, 0, 0, 0, 0, 0, 0, false, 0, 0, false, null);
        }
        String recipient = event.fiscalCode() != null ? event.fiscalCode() : titles.recipientOf(event.messageId()).orElse(null);
        if (recipient == null) {
            // No such message (the event names one that does not exist): nobody to push to.
            return new Result(Outcome.NO_INSTALLATIONS, null, false, 0, 0, 0, 0, 0, 0, false, 0, 0, false, null);
        }
        List<Installation> devices = installations.findAll(recipient);
        if (devices.isEmpty()) {
            return new Result(Outcome.NO_INSTALLATIONS, null, false, 0, 0, 0, 0, 0, 0, false, 0, 0, false, null);
        }
        boolean anonymous = event.requireSecureChannels() || !event.fullPushContent();
        PushNotification notification = PushNotification.newMessage(event.messageId(),
                anonymous ? Optional.empty() : nicety(() -> senderNames.nameOf(event.senderServiceId())),
                anonymous ? Optional.empty() : nicety(() -> titles.titleOf(event.messageId())),
                anonymous, Duration.between(now, expiry));

        PushDelivery.Result delivery = pushes.deliver(event.messageId(), PushDeliveryLedger.MESSAGE, devices, notification);
        int sent = delivery.sent();
        int alreadySent = delivery.alreadySent();
        int failed = delivery.failed();
        boolean throttled = delivery.throttled();
        int errors = delivery.errors();

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
        return new Result(Outcome.PUSHED, status, recorded, devices.size(), sent, alreadySent, delivery.inProgress(),
                failed, delivery.pruned(), throttled, errors, delivery.unrecorded(), throttled || errors > 0,
                delivery.firstError());
    }

    /** The sender's name and the subject are niceties: without them the notification is simply generic. */
    static Optional<String> nicety(java.util.function.Supplier<Optional<String>> lookup) {
        try {
            return lookup.get();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
