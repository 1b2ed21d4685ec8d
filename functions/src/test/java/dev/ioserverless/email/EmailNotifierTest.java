package dev.ioserverless.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.inbox.Senders;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.InMemoryMessageStore;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.messages.NotificationChannelStatus;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The email notifier's outcomes on in-memory stores: throttled then sent once, expired, failed. */
class EmailNotifierTest {
    static final String CF = "RSSMRA80A01H501U";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final Map<String, String> ledger = new HashMap<>();
    final List<String> sent = new ArrayList<>();
    final List<String> statuses = new ArrayList<>();
    RuntimeException nextFailure;

    EmailNotifier notifier(Clock clock) {
        EmailLedger memory = new EmailLedger() {
            public boolean claim(String id, String attempt, Instant at) {
                String status = ledger.get(id);
                if (status != null && !status.equals("THROTTLED")) {
                    return false;
                }
                ledger.put(id, "SENDING");
                return true;
            }

            public void settle(String id, String attempt, String status, Instant at) {
                ledger.put(id, status);
            }
        };
        EmailStatuses recorded = (id, status, at) -> statuses.add(status.name());
        EmailSender sender = (to, content, id) -> {
            if (nextFailure != null) {
                RuntimeException failure = nextFailure;
                nextFailure = null;
                throw failure;
            }
            sent.add(to);
            return "ses-" + sent.size();
        };
        Senders senders = ids -> Map.of();
        return new EmailNotifier(messages, profiles, new InMemoryServicePreferenceStore(), senders, memory, recorded, sender,
                "https://app.example/messages/{id}", clock);
    }

    String message() {
        String id = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        messages.put(new Message(id, CF, "svc", NOW, 3600, FeatureLevelType.STANDARD,
                new MessageContent("Avviso TARI 2026", "x".repeat(80), null, null, null), MessageStatus.PROCESSED, null, NOW));
        profiles.save(new Profile(CF, true, 4, List.of("it_IT"), ServicePreferencesMode.AUTO, 1, Map.of(), NOW, NOW, 1, true,
                true, null, null, "mario@example.it", true));
        return id;
    }

    @Test
    void aThrottledSendIsRetriedAndGoesOutOnce() {
        String id = message();
        EmailNotifier notifier = notifier(Clock.fixed(NOW, ZoneOffset.UTC));
        nextFailure = new EmailSender.ThrottledException("TooManyRequestsException");
        EmailNotifier.Result throttled = notifier.notify(id);
        assertEquals(NotificationChannelStatus.THROTTLED, throttled.status());
        assertTrue(throttled.retry());
        EmailNotifier.Result retried = notifier.notify(id);
        assertEquals(NotificationChannelStatus.SENT, retried.status());
        assertFalse(retried.retry());
        assertEquals("ALREADY_HANDLED", notifier.notify(id).outcome(), "a redelivery after SENT sends nothing");
        assertEquals(List.of("mario@example.it"), sent);
        assertEquals(List.of("THROTTLED", "SENT"), statuses);
    }

    @Test
    void aMessageWhoseTimeToLivePassedFirstIsExpired() {
        String id = message();
        EmailNotifier.Result late = notifier(Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC)).notify(id);
        assertEquals(NotificationChannelStatus.EXPIRED, late.status());
        assertEquals(List.of(), sent);
    }

    @Test
    void aRejectionForGoodIsFailedAndNotRetried() {
        String id = message();
        nextFailure = new IllegalArgumentException("MessageRejected");
        EmailNotifier.Result failed = notifier(Clock.fixed(NOW, ZoneOffset.UTC)).notify(id);
        assertEquals(NotificationChannelStatus.FAILED, failed.status());
        assertFalse(failed.retry());
    }
}
