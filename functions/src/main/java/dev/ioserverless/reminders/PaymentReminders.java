package dev.ioserverless.reminders;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferenceStore;
import dev.ioserverless.push.Installation;
import dev.ioserverless.push.InstallationStore;
import dev.ioserverless.push.PushDelivery;
import dev.ioserverless.push.PushNotification;
import dev.ioserverless.push.SenderNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One run of the payment reminders, as of an instant: every message the reminders index says is
 * due is re-read and decided ({@link ReminderDecision}), and a reminder due is pushed to the
 * citizen's devices if the citizen lets it through ({@link ReminderConsent}).
 *
 * <p>Safe to repeat, and to crash anywhere:
 * <ul>
 *   <li>Each decision is written with one UpdateItem conditional on the {@code next_reminder_at}
 *       just read: a run that repeats a decision another run already wrote changes nothing, and a
 *       payment that arrived meanwhile (which removes {@code next_reminder_at}) is never undone.
 *   <li>A reminder is pushed before it is recorded, each device through the push ledger under the
 *       reminder's own kind ({@link Reminder#deliveryKind()}). A run that crashed after pushing,
 *       or pushed only some devices (SNS failed or throttled for the others), recorded nothing; the
 *       next run decides the same reminder again and the ledger skips the devices already served.
 *       A device SNS keeps failing for is tried by {@value #MAX_ATTEMPTS} runs in all, then the
 *       reminder is recorded as it stands, so one broken device cannot hold the others' next
 *       reminders back.
 *   <li>Throttling ends the run early, as does running out of time; what is left is still due for
 *       the next run.
 * </ul>
 *
 * Outside 08:00 to 21:00 Europe/Rome a run does nothing at all, not even read the index.
 */
public final class PaymentReminders {
    /**
     * How many runs try a reminder whose push keeps failing for some devices (SNS errors other than
     * throttling) before it is recorded as it stands: sent if any device got it, skipped if none.
     */
    public static final int MAX_ATTEMPTS = 3;

    private final ReminderStore store;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final InstallationStore installations;
    private final PushDelivery pushes;
    private final SenderNames senderNames;

    public PaymentReminders(ReminderStore store, ProfileStore profiles, ServicePreferenceStore preferences,
                            InstallationStore installations, PushDelivery pushes, SenderNames senderNames) {
        this.store = store;
        this.profiles = profiles;
        this.preferences = preferences;
        this.installations = installations;
        this.pushes = pushes;
        this.senderNames = senderNames;
    }

    public enum Outcome {
        /** The reminder went to at least one device and was recorded (see {@code recorded}). */
        SENT,
        /** The reminder was used up without a push: the citizen's settings, or no device could get it. */
        SKIPPED,
        /** Some devices were not pushed (SNS failed or throttled, or another run is pushing): nothing recorded, a later run goes on. */
        UNFINISHED,
        /** None due now: moved to when the next one is. */
        RESCHEDULED,
        /** Not processed yet: left for a later run. */
        WAITING,
        /** No reminder can ever be due (paid, past due, all sent, not delivered): out of the index. */
        DROPPED,
        /** Another run, or the payment, changed the message since it was found: nothing done. */
        CHANGED,
        /** Reading or writing failed: nothing recorded, a later run tries again. */
        FAILED
    }

    /**
     * What a run did with one message.
     *
     * @param fiscalCode the recipient, for the log's keyed hash only; null when unknown
     * @param reminder the reminder due, or null
     * @param reason the rule that decided, or why it was skipped
     * @param push what the devices got, or null when nothing was pushed
     * @param recorded whether the decision was written
     */
    public record MessageResult(String messageId, String fiscalCode, String senderServiceId, Outcome outcome,
                                Reminder reminder, String reason, PushDelivery.Result push, boolean recorded,
                                RuntimeException error) {
        @Override
        public String toString() {
            return "MessageResult[messageId=" + messageId + ", outcome=" + outcome + ", reminder=" + reminder
                    + ", reason=" + reason + "]";
        }
    }

    /**
     * @param sendingHours false when the run was outside 08:00-21:00 in Rome and did nothing
     * @param found index entries read
     * @param stoppedEarly throttled, or out of time, before every shard was read
     */
    public record RunResult(Instant now, boolean sendingHours, int found, Map<Outcome, Integer> outcomes,
                            boolean throttled, boolean stoppedEarly) {

        public int count(Outcome outcome) {
            return outcomes.getOrDefault(outcome, 0);
        }
    }

    /**
     * @param timeLeft false once there is no time for another message
     * @param each told what was done with each message, in order
     */
    public RunResult run(Instant now, BooleanSupplier timeLeft, Consumer<MessageResult> each) {
        Map<Outcome, Integer> outcomes = new java.util.EnumMap<>(Outcome.class);
        if (!ReminderSchedule.isSendingHour(now)) {
            return new RunResult(now, false, 0, outcomes, false, false);
        }
        Map<String, Optional<String>> names = new HashMap<>();
        int found = 0;
        boolean throttled = false;
        boolean stopped = false;
        shards:
        for (int shard = 0; shard < ReminderSchedule.SHARDS; shard++) {
            for (ReminderStore.Due due : store.due(Integer.toString(shard), now)) {
                if (!timeLeft.getAsBoolean()) {
                    stopped = true;
                    break shards;
                }
                found++;
                MessageResult result = handle(due, now, names);
                outcomes.merge(result.outcome(), 1, Integer::sum);
                each.accept(result);
                if (result.push() != null && result.push().throttled()) {
                    throttled = true;
                    stopped = true;
                    break shards;
                }
            }
        }
        return new RunResult(now, true, found, Map.copyOf(outcomes), throttled, stopped);
    }

    private MessageResult handle(ReminderStore.Due due, Instant now, Map<String, Optional<String>> names) {
        String id = due.messageId();
        PaymentReminderState state = null;
        try {
            Optional<PaymentReminderState> found = store.find(id);
            if (found.isEmpty()) {
                return result(id, null, Outcome.CHANGED, null, "NO_STATUS_ITEM", null, false);
            }
            state = found.get();
            if (state.nextReminderAt() == null || Timestamps.parse(state.nextReminderAt()).isAfter(now)) {
                // The index lags behind, or another run or the payment got there first.
                return result(id, state, Outcome.CHANGED, null, "NOT_DUE_ANY_MORE", null, false);
            }
            ReminderDecision decision = ReminderDecision.decide(state, now);
            return switch (decision.action()) {
                case WAIT -> result(id, state, Outcome.WAITING, null, decision.reason(), null, false);
                case DROP -> write(state, Outcome.DROPPED, null, decision.reason(), null, Optional.empty(), Optional.empty());
                case RESCHEDULE -> write(state, Outcome.RESCHEDULED, null, decision.reason(), null, Optional.empty(),
                        Optional.of(decision.next()));
                case REMIND -> remind(state, decision.reminder(), now, names);
            };
        } catch (RuntimeException e) {
            return new MessageResult(id, state == null ? null : state.fiscalCode(),
                    state == null ? null : state.senderServiceId(), Outcome.FAILED, null, "ERROR", null, false, e);
        }
    }

    private MessageResult remind(PaymentReminderState state, Reminder reminder, Instant now,
                                 Map<String, Optional<String>> names) {
        Optional<Profile> profile = profiles.find(state.fiscalCode());
        Optional<ServicePreference> preference = profile.isPresent() && ReminderConsent.needsServicePreference(profile.get())
                ? preferences.find(state.fiscalCode(), state.senderServiceId())
                : Optional.empty();
        ReminderConsent.Outcome consent = ReminderConsent.decide(profile, state.senderServiceId(), preference);
        if (consent != ReminderConsent.Outcome.ALLOWED) {
            return use(state, ReminderSlot.skipped(reminder.kind(), now), reminder, consent.name(), null);
        }
        List<Installation> devices = installations.findAll(state.fiscalCode());
        if (devices.isEmpty()) {
            return use(state, ReminderSlot.skipped(reminder.kind(), now), reminder, "NO_DEVICE", null);
        }
        boolean anonymous = state.requireSecureChannels() || !"FULL".equals(profile.get().pushNotificationsContentType());
        PushNotification notification = ReminderNotifications.of(state.messageId(), reminder, anonymous,
                anonymous ? Optional.empty() : names.computeIfAbsent(state.senderServiceId(), this::senderName),
                anonymous ? Optional.empty() : Optional.ofNullable(state.subject()),
                ReminderSchedule.showFor(now));
        PushDelivery.Result push = pushes.deliver(state.messageId(), reminder.deliveryKind(), devices, notification);
        if (push.throttled() || push.inProgress() > 0) {
            // Not the devices' fault: SNS asks to slow down, or another run is pushing right now.
            return result(state.messageId(), state, Outcome.UNFINISHED, reminder,
                    push.throttled() ? "THROTTLED" : "IN_PROGRESS", push, false);
        }
        if (push.errors() > 0 && state.attempts() + 1 < MAX_ATTEMPTS) {
            boolean counted = store.countAttempt(state.messageId(), state.nextReminderAt(), state.attempts() + 1);
            return result(state.messageId(), state, Outcome.UNFINISHED, reminder, "PUSH_FAILED", push, counted);
        }
        // Every device dealt with, or the last attempt at the ones that keep failing: the reminder is used.
        String gaveUp = push.errors() > 0 ? "_GAVE_UP_ON_SOME" : "";
        return push.delivered() > 0
                ? use(state, ReminderSlot.sent(reminder.kind(), now), reminder, "PUSHED" + gaveUp, push)
                : use(state, ReminderSlot.skipped(reminder.kind(), now), reminder, "NO_DEVICE_REACHED" + gaveUp, push);
    }

    /** Records a reminder sent or skipped, and when the next one is due. */
    private MessageResult use(PaymentReminderState state, ReminderSlot slot, Reminder reminder, String reason,
                              PushDelivery.Result push) {
        return write(state, slot.sent() ? Outcome.SENT : Outcome.SKIPPED, reminder, reason, push, Optional.of(slot),
                ReminderDecision.after(state, slot));
    }

    private MessageResult write(PaymentReminderState state, Outcome outcome, Reminder reminder, String reason,
                                PushDelivery.Result push, Optional<ReminderSlot> slot, Optional<Instant> next) {
        boolean recorded = store.advance(state.messageId(), state.nextReminderAt(), slot, next);
        // A reminder already pushed stays SENT even if another run recorded it first.
        Outcome shown = recorded || outcome == Outcome.SENT ? outcome : Outcome.CHANGED;
        return result(state.messageId(), state, shown, reminder, reason, push, recorded);
    }

    private Optional<String> senderName(String serviceId) {
        try {
            return senderNames.nameOf(serviceId);
        } catch (RuntimeException e) {
            return Optional.empty();   // a nicety: the notification is simply generic without it
        }
    }

    private static MessageResult result(String id, PaymentReminderState state, Outcome outcome, Reminder reminder,
                                        String reason, PushDelivery.Result push, boolean recorded) {
        return new MessageResult(id, state == null ? null : state.fiscalCode(),
                state == null ? null : state.senderServiceId(), outcome, reminder, reason, push, recorded, null);
    }
}
