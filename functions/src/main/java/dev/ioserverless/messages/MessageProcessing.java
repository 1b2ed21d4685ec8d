package dev.ioserverless.messages;

import dev.ioserverless.profiles.PreferenceDecision;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.PushConsent;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferenceStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Deciding the fate of an accepted message: the recipient's profile and their preference for the
 * sending service decide ({@link PreferenceDecision}) between PROCESSED and REJECTED.
 *
 * <p>Decide first, then announce. For PROCESSED the status is written first (which puts the
 * message in the citizen's inbox), then the MessageProcessed event is published, then that is
 * recorded ({@link MessageStore#markAnnounced}, the status item's {@code announced_at}). A
 * transition the status refuses (another run rejected the message meanwhile) publishes nothing, so
 * no push ever goes out for a message that is not in the inbox.
 *
 * <p>Safe to repeat for the same message (SQS delivers at least once): a REJECTED message, or a
 * PROCESSED one already announced, is left alone; otherwise the decision is taken again. A
 * PROCESSED message not yet announced (the publish failed, or the function stopped before it was
 * recorded) is announced again when its record comes back, without deciding again. The event can
 * therefore go out more than once for a message; consumers deduplicate by message id.
 *
 * <p>A message whose payment notice was paid before it arrived is marked paid first
 * ({@link NoticeReceipts}), before the transition puts it in the inbox.
 */
public final class MessageProcessing {
    private final MessageStore messages;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final MessageEvents events;
    private final PaymentMarks paymentMarks;
    private final NoticeReceipts receipts;
    private final Clock clock;

    public MessageProcessing(
            MessageStore messages, ProfileStore profiles, ServicePreferenceStore preferences,
            MessageEvents events, Clock clock) {
        this(messages, profiles, preferences, events, null, NoticeReceipts.NONE, clock);
    }

    /**
     * @param paymentMarks how a message is marked paid; with {@code receipts}, a message whose
     *     notice was paid before it arrived is marked paid before it reaches the inbox
     */
    public MessageProcessing(
            MessageStore messages, ProfileStore profiles, ServicePreferenceStore preferences,
            MessageEvents events, PaymentMarks paymentMarks, NoticeReceipts receipts, Clock clock) {
        this.messages = messages;
        this.profiles = profiles;
        this.preferences = preferences;
        this.events = events;
        this.paymentMarks = paymentMarks;
        this.receipts = receipts;
        this.clock = clock;
    }

    public enum Outcome {
        /** No message with this id (yet): the caller should retry later. */
        MESSAGE_NOT_FOUND,
        /** The message was already REJECTED, or PROCESSED and announced; nothing done. */
        ALREADY_FINAL,
        /** The message was already PROCESSED but not announced: its event was published now. */
        ANNOUNCED,
        /**
         * The decision is PROCESSED: the message is PROCESSED and its event published, unless the
         * status write was {@link StatusChange#REFUSED} (then nothing was published).
         */
        PROCESSED,
        /** The message is REJECTED. */
        REJECTED
    }

    /**
     * @param message the message as loaded (its header: processing never reads the content), null when not found
     * @param decision null unless a decision was taken
     * @param statusChange what the status write did, null when none was attempted
     */
    public record Result(Outcome outcome, MessageHeader message, PreferenceDecision decision, StatusChange statusChange) {
    }

    public Result process(String messageId) {
        Optional<MessageHeader> found = messages.findHeader(messageId);
        if (found.isEmpty()) {
            return new Result(Outcome.MESSAGE_NOT_FOUND, null, null, null);
        }
        MessageHeader message = found.get();
        if (message.status() == MessageStatus.PROCESSED && !message.announced()) {
            // Decided and in the inbox, but its event may never have gone out: announce it (again).
            Optional<Profile> profile = profiles.find(message.fiscalCode());
            announce(message, profile, preferenceFor(message, profile));
            return new Result(Outcome.ANNOUNCED, message, null, null);
        }
        if (message.status().isFinal()) {
            return new Result(Outcome.ALREADY_FINAL, message, null, null);
        }
        Optional<Profile> profile = profiles.find(message.fiscalCode());
        Optional<ServicePreference> preference = preferenceFor(message, profile);
        PreferenceDecision decision = PreferenceDecision.decide(profile, message.senderServiceId(), preference);
        if (decision.allowsDelivery()) {
            payIfAlreadyPaid(message);
            StatusChange change = requireExists(messageId,
                    messages.transition(messageId, MessageStatus.PROCESSED, null, clock.instant()));
            if (change != StatusChange.REFUSED) {
                // APPLIED, or UNCHANGED (a concurrent run wrote it first and may not have announced it yet).
                announce(message, profile, preference);
            }
            return new Result(Outcome.PROCESSED, message, decision, change);
        }
        RejectionReason reason = decision.outcome() == PreferenceDecision.Outcome.USER_NOT_FOUND
                ? RejectionReason.USER_NOT_FOUND
                : RejectionReason.SERVICE_NOT_ALLOWED;
        StatusChange change = requireExists(messageId,
                messages.transition(messageId, MessageStatus.REJECTED, reason, clock.instant()));
        return new Result(Outcome.REJECTED, message, decision, change);
    }

    /**
     * Publishes the MessageProcessed event of a PROCESSED message, then records that it did. A
     * failure of either throws, and the record's redelivery announces the message again.
     */
    private void announce(MessageHeader message, Optional<Profile> profile, Optional<ServicePreference> preference) {
        boolean fullPushContent = profile.map(p -> "FULL".equals(p.pushNotificationsContentType())).orElse(false);
        // A citizen who turned pushes off, or blocked this service's, gets the message in the inbox without one.
        boolean pushEnabled = profile.map(p -> PushConsent.decide(p, message.senderServiceId(), preference)
                == PushConsent.Outcome.ALLOWED).orElse(false);
        events.publish(MessageProcessedEvent.of(message, fullPushContent, pushEnabled));
        messages.markAnnounced(message.id(), clock.instant());
    }

    private Optional<ServicePreference> preferenceFor(MessageHeader message, Optional<Profile> profile) {
        return profile.isPresent() && PreferenceDecision.needsServicePreference(profile.get())
                ? preferences.find(message.fiscalCode(), message.senderServiceId())
                : Optional.empty();
    }

    /**
     * Records the message under its payment notice, where a receipt arriving later finds it. A
     * notice paid before its message arrived (the receipt was kept, matching nothing): the message
     * is marked paid by that receipt before it reaches the inbox, so it is never shown unpaid and
     * never reminded, and the receipt records the message. Repeating it changes nothing.
     */
    private void payIfAlreadyPaid(MessageHeader message) {
        if (message.rptId() == null || paymentMarks == null) {
            return;
        }
        receipts.register(message.rptId(), message.id(), message.fiscalCode()).ifPresent(paid -> {
            PaymentMarks.Mark mark = paymentMarks.markPaid(message.id(), paid.receiptId(), paid.paidAt());
            if (mark != null && paid.receiptId().equals(mark.receiptId())) {
                receipts.attach(paid, mark);
            }
        });
    }

    private static StatusChange requireExists(String messageId, StatusChange change) {
        if (change == StatusChange.NOT_FOUND) {
            throw new IllegalStateException("message " + messageId + " disappeared while being processed");
        }
        return change;
    }
}
