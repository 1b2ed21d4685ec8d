package dev.ioserverless.messages;

import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.LogCapture;
import static dev.ioserverless.profiles.TestProfiles.preference;
import static dev.ioserverless.profiles.TestProfiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.profiles.TestProfiles;
import dev.ioserverless.services.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessMessageHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String OTHER_CF = "MRTMTT25D09F205Z";
    static final String SERVICE = TestServices.SERVICE_ID;

    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryServicePreferenceStore preferences = new InMemoryServicePreferenceStore();
    final RecordingEvents events = new RecordingEvents();

    ProcessMessageHandler handler() {
        return handler(profiles);
    }

    ProcessMessageHandler handler(ProfileStore profileStore) {
        return new ProcessMessageHandler(messages, profileStore, preferences, events, TestMessages.CLOCK,
                TestMessages.log());
    }

    static SQSEvent.SQSMessage record(String sqsMessageId, String body) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(sqsMessageId);
        record.setBody(body);
        record.setEventSource("aws:sqs");
        return record;
    }

    static SQSEvent.SQSMessage notice(String sqsMessageId, String messageId) {
        return record(sqsMessageId, new MessageCreated(messageId).toJson());
    }

    static SQSEvent event(SQSEvent.SQSMessage... records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(records));
        return event;
    }

    static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    Message accepted(String fiscalCode) {
        Message message = Message.accepted(Ulid.next(), fiscalCode, SERVICE, TestMessages.NOW, 3600,
                FeatureLevelType.STANDARD,
                new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null, null, true));
        messages.put(message);
        return message;
    }

    Message status(Message message) {
        return messages.get(message.id()).orElseThrow();
    }

    @Test
    void deliverableMessageIsProcessedThenPublished() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        List<MessageStatus> statusAtPublish = new ArrayList<>();
        events.onPublish = event -> statusAtPublish.add(status(message).status());

        SQSBatchResponse response = handler().handleRequest(event(notice("sqs-1", message.id())), null);

        assertEquals(List.of(), failedIds(response));
        assertEquals(List.of(MessageStatus.PROCESSED), statusAtPublish, "decided first, then announced");
        assertEquals(MessageStatus.PROCESSED, status(message).status());
        assertEquals(TestMessages.NOW, status(message).statusUpdatedAt());
        MessageProcessedEvent published = events.published.get(0);
        assertEquals(new MessageProcessedEvent(message.id(), CF, SERVICE, TestMessages.NOW, 3600,
                FeatureLevelType.STANDARD, true, false, true), published, "anonymous pushes unless the citizen chose FULL");
    }

    @Test
    void aRefusedTransitionPublishesNothing() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        // Another run rejected the message between this run's read and its write.
        messages.beforeTransition = id -> messages.put(
                TestMessages.withStatus(message, MessageStatus.REJECTED, RejectionReason.SERVICE_NOT_ALLOWED));

        SQSBatchResponse response = handler().handleRequest(event(notice("sqs-1", message.id())), null);

        assertEquals(List.of(), failedIds(response), "nothing to retry: the message is final");
        assertEquals(MessageStatus.REJECTED, status(message).status());
        assertEquals(List.of(), events.published, "no push for a message that is not in the inbox");
    }

    @Test
    void aCitizenWhoTurnedPushesOffOrBlockedTheSendersGetsTheMessageWithoutAPush() {
        Profile base = profile(CF, ServicePreferencesMode.AUTO, 0);
        // Pushes off on the profile.
        profiles.save(new Profile(base.fiscalCode(), true, base.acceptedTosVersion(), base.preferredLanguages(),
                ServicePreferencesMode.AUTO, 0, Map.of(), base.createdAt(), base.updatedAt(), base.version(),
                false, true, null, null));
        Message off = accepted(CF);
        handler().handleRequest(event(notice("sqs-1", off.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(off).status());
        assertFalse(events.published.get(0).pushEnabled(), "is_webhook_enabled false: no push");

        // LEGACY mode, WEBHOOK blocked for this service only.
        profiles.save(new Profile(base.fiscalCode(), true, base.acceptedTosVersion(), base.preferredLanguages(),
                ServicePreferencesMode.LEGACY, ServicePreferencesMode.LEGACY_VERSION,
                Map.of(SERVICE, java.util.Set.of(dev.ioserverless.profiles.BlockedInboxOrChannel.WEBHOOK)),
                base.createdAt(), base.updatedAt(), base.version() + 1, true, true, null, null));
        Message blocked = accepted(CF);
        handler().handleRequest(event(notice("sqs-2", blocked.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(blocked).status());
        assertFalse(events.published.get(1).pushEnabled(), "WEBHOOK blocked for the sender: no push");

        // MANUAL mode, a current preference with pushes off for the service.
        profiles.save(profile(CF, ServicePreferencesMode.MANUAL, 2));
        preferences.save(new dev.ioserverless.profiles.ServicePreference(CF, SERVICE, true, true, false, 2));
        Message muted = accepted(CF);
        handler().handleRequest(event(notice("sqs-3", muted.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(muted).status());
        assertFalse(events.published.get(2).pushEnabled(), "the service's pushes off in its preference: no push");

        preferences.save(new dev.ioserverless.profiles.ServicePreference(CF, SERVICE, true, true, true, 2));
        Message allowed = accepted(CF);
        handler().handleRequest(event(notice("sqs-4", allowed.id())), null);
        assertTrue(events.published.get(3).pushEnabled());
    }

    @Test
    void theEventCarriesTheCitizensChoiceOfPushContent() {
        Profile chosen = profile(CF, ServicePreferencesMode.AUTO, 0);
        profiles.save(new Profile(chosen.fiscalCode(), chosen.isInboxEnabled(), chosen.acceptedTosVersion(),
                chosen.preferredLanguages(), chosen.servicePreferencesMode(), chosen.servicePreferencesVersion(),
                chosen.blockedInboxOrChannels(), chosen.createdAt(), chosen.updatedAt(), chosen.version(),
                true, true, null, "FULL"));
        Message message = accepted(CF);

        handler().handleRequest(event(notice("sqs-1", message.id())), null);

        assertTrue(events.published.get(0).fullPushContent());
    }

    @Test
    void messageWithoutProfileIsRejectedUserNotFound() {
        Message message = accepted(CF);
        assertEquals(List.of(), failedIds(handler().handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(MessageStatus.REJECTED, status(message).status());
        assertEquals(RejectionReason.USER_NOT_FOUND, status(message).rejectionReason());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void manualModeWithoutPreferenceIsRejectedServiceNotAllowed() {
        profiles.save(profile(CF, ServicePreferencesMode.MANUAL, 2));
        preferences.save(preference(CF, SERVICE, true, 1));
        Message message = accepted(CF);
        handler().handleRequest(event(notice("sqs-1", message.id())), null);
        assertEquals(MessageStatus.REJECTED, status(message).status());
        assertEquals(RejectionReason.SERVICE_NOT_ALLOWED, status(message).rejectionReason());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void manualModeWithCurrentPreferenceIsProcessed() {
        profiles.save(profile(CF, ServicePreferencesMode.MANUAL, 2));
        preferences.save(preference(CF, SERVICE, true, 2));
        Message message = accepted(CF);
        handler().handleRequest(event(notice("sqs-1", message.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(message).status());
    }

    @Test
    void legacyProfileNeedsNoPreferenceLookup() {
        profiles.save(TestProfiles.legacy(CF, java.util.Map.of()));
        Message message = accepted(CF);
        handler().handleRequest(event(notice("sqs-1", message.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(message).status());
        assertEquals(0, preferences.reads.get());
    }

    @Test
    void reprocessingIsIdempotent() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        SQSEvent event = event(notice("sqs-1", message.id()));

        assertEquals(List.of(), failedIds(handler().handleRequest(event, null)));
        assertEquals(List.of(), failedIds(handler().handleRequest(event, null)));

        assertEquals(1, events.published.size());
        assertEquals(MessageStatus.PROCESSED, status(message).status());
    }

    @Test
    void rejectedMessageIsNotReconsidered() {
        Message message = accepted(CF);
        handler().handleRequest(event(notice("sqs-1", message.id())), null);
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        handler().handleRequest(event(notice("sqs-2", message.id())), null);
        assertEquals(MessageStatus.REJECTED, status(message).status());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void failedMessageRedrivenIsProcessed() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        messages.put(TestMessages.withStatus(message, MessageStatus.FAILED, null));
        handler().handleRequest(event(notice("sqs-1", message.id())), null);
        assertEquals(MessageStatus.PROCESSED, status(message).status());
        assertEquals(1, events.published.size());
    }

    @ExpectedErrors("message_processing_failed")
    @Test
    void publishFailureAfterTheTransitionFailsTheRecordAndTheRetryPublishesOnce() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        SQSEvent record = event(notice("sqs-1", message.id()));
        events.failWith = new IllegalStateException("topic unavailable");

        assertEquals(List.of("sqs-1"), failedIds(handler().handleRequest(record, null)), "retried by SQS");
        assertEquals(MessageStatus.PROCESSED, status(message).status(), "the decision is written first");
        assertEquals(List.of(), events.published);

        events.failWith = null;
        assertEquals(List.of(), failedIds(handler().handleRequest(record, null)));
        assertEquals(List.of(message.id()), events.published.stream().map(MessageProcessedEvent::messageId).toList(),
                "the redelivered record announces the PROCESSED message");

        assertEquals(List.of(), failedIds(handler().handleRequest(record, null)));
        assertEquals(1, events.published.size(), "announced once: a later redelivery publishes nothing");
    }

    @ExpectedErrors("message_processing_failed")
    @Test
    void aStopBetweenPublishAndItsRecordRepublishesOnRetry() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        SQSEvent record = event(notice("sqs-1", message.id()));
        messages.failMarkAnnouncedWith = new IllegalStateException("table unavailable");

        assertEquals(List.of("sqs-1"), failedIds(handler().handleRequest(record, null)));
        assertEquals(1, events.published.size());
        assertTrue(messages.announcedAt(message.id()).isEmpty());

        messages.failMarkAnnouncedWith = null;
        assertEquals(List.of(), failedIds(handler().handleRequest(record, null)));
        assertEquals(2, events.published.size(), "published again; consumers deduplicate by message id");
        assertEquals(Optional.of(TestMessages.NOW), messages.announcedAt(message.id()));
        assertEquals(List.of(), failedIds(handler().handleRequest(record, null)));
        assertEquals(2, events.published.size());
    }

    @Test
    void aProcessedMessageNotYetAnnouncedIsAnnouncedWithoutDecidingAgain() {
        Profile chosen = profile(CF, ServicePreferencesMode.AUTO, 0);
        profiles.save(new Profile(chosen.fiscalCode(), chosen.isInboxEnabled(), chosen.acceptedTosVersion(),
                chosen.preferredLanguages(), chosen.servicePreferencesMode(), chosen.servicePreferencesVersion(),
                chosen.blockedInboxOrChannels(), chosen.createdAt(), chosen.updatedAt(), chosen.version(),
                true, true, null, "FULL"));
        Message message = accepted(CF);
        messages.put(TestMessages.withStatus(message, MessageStatus.PROCESSED, null));

        try (LogCapture logs = new LogCapture()) {
            assertEquals(List.of(), failedIds(handler().handleRequest(event(notice("sqs-1", message.id())), null)));
            assertEquals("message_announced", logs.events().get(0).get("event").textValue());
        }

        assertEquals(1, events.published.size());
        assertTrue(events.published.get(0).fullPushContent(), "the citizen's choice of push content still applies");
        assertFalse(messages.calls.stream().anyMatch(call -> call.startsWith("transition")), "not decided again");
        assertEquals(1, preferences.reads.get(), "the preference is read once, for whether pushes are allowed");
        assertTrue(events.published.get(0).pushEnabled());
        assertTrue(messages.announcedAt(message.id()).isPresent());
    }

    @ExpectedErrors("message_processing_failed")
    @Test
    void statusWriteFailurePublishesNothingAndTheRetryPublishesOnce() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = accepted(CF);
        messages.failTransitionWith = new IllegalStateException("table unavailable");
        assertEquals(List.of("sqs-1"), failedIds(handler().handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(List.of(), events.published, "nothing announced before the decision is written");
        assertEquals(MessageStatus.ACCEPTED, status(message).status());

        messages.failTransitionWith = null;
        assertEquals(List.of(), failedIds(handler().handleRequest(event(notice("sqs-1", message.id())), null)));
        assertEquals(1, events.published.size());
        assertEquals(MessageStatus.PROCESSED, status(message).status());
    }

    @ExpectedErrors("message_processing_failed")
    @Test
    void onlyTheFailingRecordsOfABatchAreReported() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        profiles.save(profile(OTHER_CF, ServicePreferencesMode.AUTO, 0));
        Message good = accepted(CF);
        Message broken = accepted(OTHER_CF);
        Message alsoGood = accepted(CF);
        ProfileStore flaky = new ProfileStore() {
            @Override
            public Optional<Profile> find(String fiscalCode) {
                if (fiscalCode.equals(OTHER_CF)) {
                    throw new IllegalStateException("throttled");
                }
                return profiles.find(fiscalCode);
            }

            @Override
            public void save(Profile profile) {
                profiles.save(profile);
            }

            @Override
            public void replace(Profile profile, long expectedVersion, boolean exists) {
                profiles.replace(profile, expectedVersion, exists);
            }

            @Override
            public boolean markEmailValidated(String fiscalCode, String email, java.time.Instant now) {
                return profiles.markEmailValidated(fiscalCode, email, now);
            }
        };

        SQSBatchResponse response = handler(flaky).handleRequest(event(
                notice("sqs-good", good.id()),
                record("sqs-malformed", "{\"message_id\": 42}"),
                notice("sqs-unknown", Ulid.next()),
                notice("sqs-broken", broken.id()),
                record("sqs-not-json", "<xml/>"),
                notice("sqs-also-good", alsoGood.id())), null);

        assertEquals(List.of("sqs-malformed", "sqs-unknown", "sqs-broken", "sqs-not-json"), failedIds(response));
        assertEquals(MessageStatus.PROCESSED, status(good).status());
        assertEquals(MessageStatus.PROCESSED, status(alsoGood).status());
        assertEquals(MessageStatus.ACCEPTED, status(broken).status());
    }

    @Test
    void emptyOrMissingRecordsGiveAnEmptyResponse() {
        assertEquals(List.of(), failedIds(handler().handleRequest(new SQSEvent(), null)));
        assertEquals(List.of(), failedIds(handler().handleRequest(event(), null)));
    }

    @Test
    void logsOneLinePerRecordWithoutPersonalData() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message processed = accepted(CF);
        Message rejected = accepted(OTHER_CF);
        try (LogCapture logs = new LogCapture()) {
            handler().handleRequest(event(notice("sqs-1", processed.id()), notice("sqs-2", rejected.id()),
                    record("sqs-3", "garbage")), null);
            String text = logs.text();
            assertFalse(text.contains(CF), text);
            assertFalse(text.contains(OTHER_CF), text);
            assertFalse(text.contains(TestMessages.SUBJECT), text);
            List<JsonNode> lines = logs.events();
            assertEquals(3, lines.size(), text);
            assertEquals("message_processed", lines.get(0).get("event").textValue());
            assertEquals(processed.id(), lines.get(0).get("message_id").textValue());
            assertEquals("AUTO_DEFAULT", lines.get(0).get("rule").textValue());
            assertEquals(TestMessages.log().fiscalCodeRef(CF), lines.get(0).get("fiscal_code_ref").textValue());
            assertEquals("message_rejected", lines.get(1).get("event").textValue());
            assertEquals("PROFILE_NOT_FOUND", lines.get(1).get("rule").textValue());
            assertEquals("record_malformed", lines.get(2).get("event").textValue());
            assertNull(lines.get(2).get("message_id"));
        }
    }

    @Test
    void sqsBodyIsJustTheMessageId() {
        assertEquals("{\"message_id\":\"01HQZX3T5E8KJ4W2N6R9B7C1DM\"}",
                new MessageCreated("01HQZX3T5E8KJ4W2N6R9B7C1DM").toJson());
        assertEquals(Optional.of(new MessageCreated("01HQZX3T5E8KJ4W2N6R9B7C1DM")),
                MessageCreated.parse("{\"message_id\":\"01HQZX3T5E8KJ4W2N6R9B7C1DM\",\"extra\":1}"));
        for (String bad : new String[] {null, "", "[]", "{}", "{\"message_id\":\"x\"}", "{\"message_id\":null}", "{"}) {
            assertEquals(Optional.empty(), MessageCreated.parse(bad), bad);
        }
    }

    @Test
    void processedEventJsonCarriesNoContentAndNoFiscalCode() {
        MessageProcessedEvent event = new MessageProcessedEvent("01HQZX3T5E8KJ4W2N6R9B7C1DM", CF, SERVICE,
                TestMessages.NOW, 3600, FeatureLevelType.ADVANCED, false, true, true);
        JsonNode json = Json.read(event.toJson());
        assertEquals(Json.read("""
                {"event_type": "MessageProcessed", "message_id": "01HQZX3T5E8KJ4W2N6R9B7C1DM",
                 "sender_service_id": "%s",
                 "created_at": "2024-03-01T10:15:30.123Z", "time_to_live": 3600,
                 "feature_level_type": "ADVANCED", "require_secure_channels": false,
                 "push_notifications_content_type": "FULL", "push_enabled": true}
                """.formatted(SERVICE)), json);
        assertEquals(event.withFiscalCode(null), MessageProcessedEvent.fromJson(event.toJson()),
                "read back without the recipient, which the consumer reads from the status item");
        assertEquals(CF, MessageProcessedEvent.fromJson(event.toJson().replace("\"message_id\"",
                "\"fiscal_code\":\"" + CF + "\",\"message_id\"")).fiscalCode(), "an event published before still reads");
    }
}
