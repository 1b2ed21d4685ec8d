package dev.ioserverless.email;

import dev.ioserverless.common.Failures;
import dev.ioserverless.inbox.Senders;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStore;
import dev.ioserverless.messages.NotificationChannelStatus;
import dev.ioserverless.profiles.PreferenceDecision;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferenceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Notifies one processed message by email, when {@link EmailDecision} allows it, at most once
 * ({@link EmailLedger}): the message's status item then says SENT; THROTTLED while SES refuses it
 * for now (the event is delivered again); EXPIRED when its time to live passed first; FAILED when
 * SES rejected it for good. A message with a precondition or documents gets a notice only.
 */
public final class EmailNotifier {
    private final MessageStore messages;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final Senders senders;
    private final EmailLedger ledger;
    private final EmailStatuses statuses;
    private final EmailSender sender;
    private final String appMessageUrl;
    private final Clock clock;

    /** What became of one event. {@code retry}: deliver the event again later. */
    public record Result(String outcome, NotificationChannelStatus status, boolean retry) {
    }

    public EmailNotifier(MessageStore messages, ProfileStore profiles, ServicePreferenceStore preferences, Senders senders,
                         EmailLedger ledger, EmailStatuses statuses, EmailSender sender, String appMessageUrl, Clock clock) {
        this.messages = messages;
        this.profiles = profiles;
        this.preferences = preferences;
        this.senders = senders;
        this.ledger = ledger;
        this.statuses = statuses;
        this.sender = sender;
        this.appMessageUrl = appMessageUrl;
        this.clock = clock;
    }

    public Result notify(String messageId) {
        Optional<Message> found = messages.find(messageId);
        if (found.isEmpty()) {
            return new Result("NO_MESSAGE", null, false);
        }
        Message message = found.get();
        MessageContent content = message.content();
        Optional<Profile> profile = profiles.find(message.fiscalCode());
        Optional<ServicePreference> preference = profile.filter(PreferenceDecision::needsServicePreference)
                .flatMap(p -> preferences.find(p.fiscalCode(), message.senderServiceId()));
        EmailDecision decision = EmailDecision.decide(profile, message.senderServiceId(), preference,
                content.secureChannelsRequired());
        if (!decision.sends()) {
            return new Result(decision.outcome().name(), null, false);
        }
        Instant now = clock.instant();
        String attempt = UUID.randomUUID().toString();
        if (!ledger.claim(messageId, attempt, now)) {
            return new Result("ALREADY_HANDLED", null, false);
        }
        if (!now.isBefore(message.expiresAt())) {
            ledger.settle(messageId, attempt, NotificationChannelStatus.EXPIRED.name(), now);
            statuses.record(messageId, NotificationChannelStatus.EXPIRED, now);
            return new Result("EXPIRED", NotificationChannelStatus.EXPIRED, false);
        }
        Senders.Sender from = senders.find(List.of(message.senderServiceId()))
                .getOrDefault(message.senderServiceId(), Senders.Sender.unknown(message.senderServiceId()));
        boolean noticeOnly = content.precondition().applies() || content.hasAttachments() || !content.documents().isEmpty();
        MessageEmail.Content email = MessageEmail.render(new MessageEmail.Facts(profile.get().preferredLanguages(),
                from.serviceName(), from.organizationName(), content.subject(), content.markdown(), noticeOnly,
                appMessageUrl.replace("{id}", messageId)));
        NotificationChannelStatus status;
        String outcome;
        boolean retry = false;
        try {
            sender.send(decision.address(), email, messageId);
            status = NotificationChannelStatus.SENT;
            outcome = noticeOnly ? "SENT_NOTICE" : "SENT";
        } catch (EmailSender.ThrottledException e) {
            status = NotificationChannelStatus.THROTTLED;
            outcome = "THROTTLED";
            retry = true;
        } catch (RuntimeException e) {
            if (Failures.mayHaveBeenServed(e)) {
                // The answer was lost: SES may have sent it, and at most one must go out.
                status = NotificationChannelStatus.SENT;
                outcome = "SENT_UNCONFIRMED";
            } else if (Failures.isTransientAws(e)) {
                status = NotificationChannelStatus.THROTTLED;
                outcome = "RETRY";
                retry = true;
            } else {
                status = NotificationChannelStatus.FAILED;
                outcome = "FAILED";
            }
        }
        ledger.settle(messageId, attempt, status.name(), clock.instant());
        statuses.record(messageId, status, clock.instant());
        return new Result(outcome, status, retry);
    }
}
