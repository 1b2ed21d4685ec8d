package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WelcomeMessagesTest {
    static final Instant CREATED = Instant.parse("2026-02-01T09:00:00Z");
    final InMemoryMessageStore store = new InMemoryMessageStore();
    final RecordingQueue queue = new RecordingQueue();
    final WelcomeMessages welcome = new WelcomeMessages(store, queue, "io-welcome",
            java.time.Clock.fixed(Instant.parse("2026-02-01T09:00:05Z"), java.time.ZoneOffset.UTC));

    static Profile profile(String fiscalCode, Integer tos, List<String> languages) {
        return new Profile(fiscalCode, tos != null, tos, languages, ServicePreferencesMode.AUTO, 0, Map.of(), CREATED, CREATED, 2);
    }

    @Test
    void twoMessagesFromThePlatformServiceInTheCitizensLanguageOnceHoweverOftenCalled() {
        Profile citizen = profile("RSSMRA80A01H501U", 4, List.of("en_GB", "it_IT"));
        welcome.ensureSent(citizen);
        welcome.ensureSent(citizen);
        assertEquals(2, store.size());
        Message first = store.get(WelcomeMessages.idOf(citizen, 0)).orElseThrow();
        assertEquals("io-welcome", first.senderServiceId());
        assertEquals("RSSMRA80A01H501U", first.fiscalCode());
        assertTrue(first.content().subject().startsWith("Welcome"), first.content().subject());
        assertTrue(store.get(WelcomeMessages.idOf(citizen, 1)).orElseThrow().content().subject().startsWith("Turn on"));
        assertEquals(4, queue.sent.size(), "both still ACCEPTED, so queued again: processing is idempotent");
    }

    @Test
    void italianByDefaultAndNothingBeforeTheTermsAreAccepted() {
        welcome.ensureSent(profile("BNCGVN75L12F205X", null, List.of()));
        assertEquals(0, store.size());
        Profile italian = profile("BNCGVN75L12F205X", 4, List.of("de_DE"));
        welcome.ensureSent(italian);
        assertTrue(store.get(WelcomeMessages.idOf(italian, 0)).orElseThrow().content().subject().startsWith("Benvenuto"));
    }

    @Test
    void idsAreValidUlidsFixedPerCitizenInReadingOrderAndDifferentAcrossCitizens() {
        Profile one = profile("RSSMRA80A01H501U", 4, List.of());
        Profile other = profile("BNCGVN75L12F205X", 4, List.of());
        assertTrue(Ulid.isValid(WelcomeMessages.idOf(one, 0)));
        assertEquals(WelcomeMessages.idOf(one, 0), WelcomeMessages.idOf(one, 0));
        assertTrue(WelcomeMessages.idOf(one, 0).compareTo(WelcomeMessages.idOf(one, 1)) < 0, "the welcome first");
        assertNotEquals(WelcomeMessages.idOf(one, 0), WelcomeMessages.idOf(other, 0));
    }

    @Test
    void aFailedQueueingIsFinishedByTheNextCallAndAProcessedMessageIsNotQueuedAgain() {
        Profile citizen = profile("RSSMRA80A01H501U", 4, List.of("it_IT"));
        queue.failWith = new IllegalStateException("queue unavailable");
        assertThrows(IllegalStateException.class, () -> welcome.ensureSent(citizen));
        queue.failWith = null;
        welcome.ensureSent(citizen);
        assertEquals(2, store.size());
        assertEquals(2, queue.sent.size());
        store.transition(WelcomeMessages.idOf(citizen, 0), MessageStatus.PROCESSED, null, CREATED);
        store.transition(WelcomeMessages.idOf(citizen, 1), MessageStatus.PROCESSED, null, CREATED);
        welcome.ensureSent(citizen);
        assertEquals(2, queue.sent.size(), "processed welcomes are left alone");
    }
}
