package dev.ioserverless.push;

import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.LogCapture;
import static dev.ioserverless.push.PushFixture.FISCAL_CODE;
import static dev.ioserverless.push.PushFixture.OTHER_FISCAL_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.messages.MessageProcessedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The push function over in-memory stores and endpoints. */
class PushNotificationHandlerTest {
    final PushFixture f = new PushFixture();

    // ---- time to live -----------------------------------------------------------------------

    @Test
    void anExpiredMessageIsNotPushedAndIsMarkedExpired() {
        f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.clock.set(message.createdAt().plusSeconds(message.timeToLive()).plusMillis(1));

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of(), f.endpoints.pushes);
        assertEquals(NotificationStatus.EXPIRED, f.statuses.status(message.messageId()));
        assertEquals(List.of(), f.ledger.calls, "no device is even considered");
        assertFalse(f.installations.calls.contains("findAll"));
    }

    @Test
    void aMessageAtTheEndOfItsTimeToLiveIsStillPushedWithTheRemainingTtl() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.clock.set(message.createdAt().plusSeconds(message.timeToLive() - 90));

        f.handle(message);

        List<FakePushEndpoints.Push> pushes = f.endpoints.pushesTo(phone.endpointArn());
        assertEquals(1, pushes.size());
        assertEquals(Duration.ofSeconds(90), pushes.get(0).notification().timeToLive());
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
    }

    // ---- devices ----------------------------------------------------------------------------

    @Test
    void aCitizenWithoutDevicesGetsNoPushAndNoNotificationRecord() {
        f.device(OTHER_FISCAL_CODE, "someone-elses-phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of(), f.endpoints.pushes);
        assertEquals(List.of(), f.statuses.calls, "IO shows no notification.webhook without a channel");
        assertNull(f.statuses.status(message.messageId()));
    }

    @Test
    void everyDeviceGetsOnePushAndTheMessageIsSent() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        Installation tablet = f.device(FISCAL_CODE, "tablet", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals(1, f.endpoints.pushesTo(tablet.endpointArn()).size());
        assertEquals(Platform.APNS, f.endpoints.pushesTo(phone.endpointArn()).get(0).platform());
        assertEquals(Platform.FCM, f.endpoints.pushesTo(tablet.endpointArn()).get(0).platform());
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
        assertEquals("SENT", f.ledger.status(message.messageId(), "phone"));
        assertEquals("SENT", f.ledger.status(message.messageId(), "tablet"));
    }

    @Test
    void twoDevicesOneDisabledIsSentAndTheDeadInstallationIsPruned() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        Installation old = f.device(FISCAL_CODE, "old-phone", Platform.FCM);
        f.endpoints.disable(old.endpointArn());
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals(List.of(), f.endpoints.pushesTo(old.endpointArn()));
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
        assertEquals("FAILED", f.ledger.status(message.messageId(), "old-phone"));
        assertTrue(f.installations.find(FISCAL_CODE, "old-phone").isEmpty(), "the dead installation is deleted");
        assertFalse(f.endpoints.exists(old.endpointArn()), "and so is its endpoint");
        assertTrue(f.installations.find(FISCAL_CODE, "phone").isPresent());
    }

    @Test
    void everyDeviceDisabledOrGoneIsFailed() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        Installation tablet = f.device(FISCAL_CODE, "tablet", Platform.FCM);
        f.endpoints.disable(phone.endpointArn());
        f.endpoints.delete(tablet.endpointArn());
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures(), "nothing a retry could fix");
        assertEquals(List.of(), f.endpoints.pushes);
        assertEquals(NotificationStatus.FAILED, f.statuses.status(message.messageId()));
        assertEquals(List.of(), f.installations.findAll(FISCAL_CODE));
    }

    @Test
    void aDeviceRegisteredAgainWhilePushingIsNotPruned() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        f.endpoints.disable(phone.endpointArn());
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        // The app registers again (same token, endpoint re-enabled) after the push loaded the installation,
        // and the provider reports the token dead once more before the push reaches SNS.
        f.installations.afterFindAll = () -> {
            f.installations.afterFindAll = () -> { };
            f.clock.advance(Duration.ofMillis(5));
            f.registrar.register(FISCAL_CODE, "phone", "apns", phone.pushChannel());
            f.endpoints.disable(phone.endpointArn());
        };

        f.handle(message);

        assertTrue(f.installations.find(FISCAL_CODE, "phone").isPresent(), "the newer registration is kept");
        assertTrue(f.endpoints.exists(phone.endpointArn()));
    }

    // ---- idempotency ------------------------------------------------------------------------

    @Test
    void aRedeliveredEventDoesNotPushAnyDeviceTwice() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        Installation tablet = f.device(FISCAL_CODE, "tablet", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        SQSEvent.SQSMessage first = PushFixture.record(message.toJson());
        // SNS may deliver the event twice: a second SQS message with the same body.
        SQSEvent.SQSMessage duplicate = PushFixture.record(message.toJson());

        f.handle(first);
        f.clock.advance(Duration.ofMinutes(5));
        SQSBatchResponse again = f.handle(duplicate);
        f.handle(first);

        assertEquals(List.of(), again.getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals(1, f.endpoints.pushesTo(tablet.endpointArn()).size());
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
    }

    @Test
    void aDeviceAnotherWorkerIsPushingIsLeftToIt() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.ledger.put(message.messageId(), "phone", "PENDING", f.clock.instant().plusSeconds(30));

        SQSBatchResponse response = f.handle(message);

        assertEquals(List.of(), response.getBatchItemFailures(), "the other worker's own record covers it");
        assertEquals(List.of(), f.endpoints.pushesTo(phone.endpointArn()));
        assertEquals(List.of(), f.statuses.calls, "the other worker records the status");
    }

    @Test
    void aClaimLeftByACrashedWorkerIsTakenOverOnceItsLeaseRanOut() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.ledger.put(message.messageId(), "phone", "PENDING", f.clock.instant().minusMillis(1));

        f.handle(message);

        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals("SENT", f.ledger.status(message.messageId(), "phone"));
    }

    @Test
    void aPushWhoseSentMarkCouldNotBeWrittenIsNotRetried() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.ledger.failMarkSentWith = new IllegalStateException("DynamoDB unavailable");

        try (LogCapture logs = new LogCapture()) {
            SQSBatchResponse response = f.handle(message);
            assertEquals(List.of(), response.getBatchItemFailures(), "a retry would push the device again");
            JsonNode line = logs.events().get(0);
            assertEquals("WARN", line.path("level").textValue());
            assertEquals(1, line.path("unrecorded").asInt());
        }
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
    }

    // ---- throttling and failures ------------------------------------------------------------

    @Test
    void throttlingIsABatchItemFailureAndTheRetrySkipsDevicesAlreadyPushed() {
        Installation a = f.device(FISCAL_CODE, "a-phone", Platform.APNS);
        Installation b = f.device(FISCAL_CODE, "b-tablet", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        SQSEvent.SQSMessage throttledRecord = PushFixture.record(message.toJson());
        MessageProcessedEvent other = f.message(OTHER_FISCAL_CODE, false);
        SQSEvent.SQSMessage fine = PushFixture.record(other.toJson());
        f.endpoints.throttleAfter = 1; // a-phone goes through, b-tablet is throttled

        SQSBatchResponse response = f.handle(throttledRecord, fine);

        assertEquals(List.of(throttledRecord.getMessageId()), PushFixture.failedIds(response),
                "only the throttled record is retried");
        assertEquals(1, f.endpoints.pushesTo(a.endpointArn()).size());
        assertEquals(List.of(), f.endpoints.pushesTo(b.endpointArn()));
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()), "a-phone got it");
        assertNull(f.ledger.status(message.messageId(), "b-tablet"), "the throttled claim is given back");

        f.endpoints.throttleAfter = -1;
        f.clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), f.handle(throttledRecord).getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(a.endpointArn()).size(), "not pushed twice");
        assertEquals(1, f.endpoints.pushesTo(b.endpointArn()).size());
    }

    @Test
    void throttledBeforeAnyDeviceGotItIsThrottled() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        f.device(FISCAL_CODE, "tablet", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.endpoints.throttleAfter = 0;
        SQSEvent.SQSMessage record = PushFixture.record(message.toJson());

        SQSBatchResponse response = f.handle(record);

        assertEquals(List.of(record.getMessageId()), PushFixture.failedIds(response));
        assertEquals(NotificationStatus.THROTTLED, f.statuses.status(message.messageId()));
        assertEquals(1, f.endpoints.calls.stream().filter(c -> c.startsWith("publish")).count(),
                "pushing stops at the first throttle");

        f.endpoints.throttleAfter = -1;
        f.handle(record);
        assertEquals(NotificationStatus.SENT, f.statuses.status(message.messageId()));
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
    }

    @Test
    void anSnsFailureIsRetriedWithoutAStatus() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.endpoints.failPublishWith = new IllegalStateException("SNS unavailable");
        SQSEvent.SQSMessage record = PushFixture.record(message.toJson());

        try (LogCapture logs = new LogCapture()) {
            assertEquals(List.of(record.getMessageId()), PushFixture.failedIds(f.handle(record)));
            JsonNode line = logs.events().get(0);
            assertEquals("WARN", line.path("level").textValue());
            assertEquals("java.lang.IllegalStateException: SNS unavailable", line.path("error").textValue());
        }
        assertEquals(List.of(), f.statuses.calls);
        assertNull(f.ledger.status(message.messageId(), "phone"), "the claim is given back");

        f.endpoints.failPublishWith = null;
        assertEquals(List.of(), f.handle(record).getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
    }

    @Test
    void aPublishWhoseAnswerWasLostCountsAsMadeAndIsNeverRepeated() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        // SNS may have delivered it: a read timeout after the request went out.
        f.endpoints.failPublishWith = software.amazon.awssdk.core.exception.SdkClientException.builder()
                .message("read timed out").cause(new java.net.SocketTimeoutException("Read timed out")).build();
        SQSEvent.SQSMessage record = PushFixture.record(message.toJson());
        assertEquals(List.of(), f.handle(record).getBatchItemFailures(), "not retried: a retry could push twice");
        f.endpoints.failPublishWith = null;
        assertEquals(List.of(), f.handle(record).getBatchItemFailures());
        assertEquals(0, f.endpoints.pushesTo(phone.endpointArn()).size(), "never published a second time");
        assertEquals(1, f.endpoints.calls.stream().filter(call -> call.startsWith("publish")).count());
    }

    @ExpectedErrors("push_notification_failed")
    @Test
    void aStoreFailureIsABatchItemFailure() {
        f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        f.installations.failFindAllWith = new IllegalStateException("DynamoDB unavailable");
        SQSEvent.SQSMessage record = PushFixture.record(message.toJson());

        try (LogCapture logs = new LogCapture()) {
            assertEquals(List.of(record.getMessageId()), PushFixture.failedIds(f.handle(record)));
            JsonNode line = logs.events().get(0);
            assertEquals("push_notification_failed", line.path("event").textValue());
            assertEquals(message.messageId(), line.path("message_id").textValue());
        }
    }

    @Test
    void malformedRecordsAreLoggedAndAcknowledged() {
        String secretToken = PushFixture.token();
        SQSEvent.SQSMessage notJson = PushFixture.record("{\"fiscal_code\":\"" + FISCAL_CODE + "\",\"token\":\""
                + secretToken + "\"");
        SQSEvent.SQSMessage otherEvent = PushFixture.record("{\"event_type\":\"MessageRejected\",\"fiscal_code\":\""
                + FISCAL_CODE + "\"}");
        SQSEvent.SQSMessage missingField = PushFixture.record("{\"event_type\":\"MessageProcessed\",\"fiscal_code\":\""
                + FISCAL_CODE + "\"}");
        SQSEvent.SQSMessage empty = PushFixture.record(null);

        try (LogCapture logs = new LogCapture()) {
            SQSBatchResponse response = f.handle(notJson, otherEvent, missingField, empty);
            assertEquals(List.of(), response.getBatchItemFailures());
            List<JsonNode> lines = logs.events();
            assertEquals(4, lines.size());
            for (JsonNode line : lines) {
                assertEquals("record_malformed", line.path("event").textValue());
                assertTrue(line.hasNonNull("sqs_message_id"));
            }
            assertFalse(logs.text().contains(FISCAL_CODE), logs.text());
            assertFalse(logs.text().contains(secretToken), logs.text());
        }
        assertEquals(List.of(), f.endpoints.pushes);
    }

    // ---- what a push says -------------------------------------------------------------------

    @Test
    void aSecureChannelMessageIsPushedAnonymously() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        Installation tablet = f.device(FISCAL_CODE, "tablet", Platform.FCM);
        MessageProcessedEvent message = f.message(FISCAL_CODE, true);

        f.handle(message);

        assertEquals(List.of(), f.senderLookups, "the service is not even looked up");
        for (FakePushEndpoints.Push push : List.of(f.endpoints.pushesTo(phone.endpointArn()).get(0),
                f.endpoints.pushesTo(tablet.endpointArn()).get(0))) {
            String sns = push.notification().snsMessage();
            assertFalse(sns.contains("Comune"), sns);
            assertFalse(sns.contains("TARI"), sns);
            assertFalse(sns.contains(PushFixture.SERVICE_ID), sns);
            assertEquals(PushNotification.TITLE, push.notification().title());
            assertEquals(PushNotification.BODY, push.notification().body());
        }
    }

    @Test
    void aCitizenWhoChoseFullContentSeesTheSenderAndTheSubject() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false, true);

        f.handle(message);

        PushNotification notification = f.endpoints.pushesTo(phone.endpointArn()).get(0).notification();
        assertEquals(PushFixture.SERVICE_NAME, notification.title());
        assertEquals(PushFixture.SUBJECT, notification.body());
        assertEquals(List.of(message.messageId()), f.titleLookups);
    }

    @Test
    void byDefaultAndForAnonymousContentThePushNamesNothing() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false, false);

        f.handle(message);

        PushNotification notification = f.endpoints.pushesTo(phone.endpointArn()).get(0).notification();
        assertEquals(PushNotification.TITLE, notification.title());
        assertEquals(PushNotification.BODY, notification.body());
        assertEquals(List.of(), f.senderLookups, "neither the service");
        assertEquals(List.of(), f.titleLookups, "nor the subject is looked up");
    }

    @Test
    void aSecureChannelMessageStaysAnonymousEvenForFullContent() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, true, true);

        f.handle(message);

        PushNotification notification = f.endpoints.pushesTo(phone.endpointArn()).get(0).notification();
        assertEquals(PushNotification.TITLE, notification.title());
        assertEquals(PushNotification.BODY, notification.body());
        assertEquals(List.of(), f.titleLookups);
    }

    @Test
    void aFailingServiceLookupLeavesTheNotificationGeneric() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false, true);
        PushNotificationHandler handler = new PushNotificationHandler(f.installations, f.ledger, f.statuses,
                f.endpoints, serviceId -> {
                    throw new IllegalStateException("services table unavailable");
                }, new MessageTitles() {
                    @Override
                    public java.util.Optional<String> titleOf(String messageId) {
                        throw new IllegalStateException("status table unavailable");
                    }

                    @Override
                    public java.util.Optional<String> recipientOf(String messageId) {
                        return f.titles.recipientOf(messageId);
                    }
                }, f.clock, f.log);

        SQSBatchResponse response = handler.handleRequest(PushFixture.event(PushFixture.record(message.toJson())), null);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(PushNotification.TITLE, f.endpoints.pushesTo(phone.endpointArn()).get(0).notification().title());
        assertEquals(PushNotification.BODY, f.endpoints.pushesTo(phone.endpointArn()).get(0).notification().body());
    }

    @Test
    void thePushCarriesOnlyFixedTextsTheMessageIdAndItsDeepLink() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        f.handle(message);

        PushNotification notification = f.endpoints.pushesTo(phone.endpointArn()).get(0).notification();
        JsonNode sns = Json.read(notification.snsMessage());
        assertEquals(Set.of("default", "APNS", "APNS_SANDBOX", "GCM"), Set.copyOf(fieldNames(sns)));
        JsonNode apns = Json.read(sns.path("APNS").textValue());
        assertEquals(Set.of("aps", "message_id", "deep_link"), Set.copyOf(fieldNames(apns)));
        assertEquals(message.messageId(), apns.path("message_id").textValue());
        assertEquals("ioit://messages/" + message.messageId(), apns.path("deep_link").textValue());
        JsonNode fcm = Json.read(sns.path("GCM").textValue()).path("fcmV1Message").path("message");
        assertEquals(Set.of("message_id", "deep_link"), Set.copyOf(fieldNames(fcm.path("data"))));
        assertEquals("ioit://messages/" + message.messageId(), fcm.path("data").path("deep_link").textValue());
        assertEquals(notification.body(), fcm.path("notification").path("body").textValue());
        String text = notification.snsMessage();
        assertFalse(text.contains(FISCAL_CODE), "no fiscal code in a push");
        assertFalse(text.contains(phone.pushChannel()), "no token in a push");
    }

    // ---- logs -------------------------------------------------------------------------------

    @Test
    void oneLogLinePerRecordWithoutFiscalCodeOrToken() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);

        try (LogCapture logs = new LogCapture()) {
            f.handle(message);
            List<JsonNode> lines = logs.events();
            assertEquals(1, lines.size());
            JsonNode line = lines.get(0);
            assertEquals("push_notification", line.path("event").textValue());
            assertEquals(message.messageId(), line.path("message_id").textValue());
            assertEquals(f.log.fiscalCodeRef(FISCAL_CODE), line.path("fiscal_code_ref").textValue());
            assertEquals("PUSHED", line.path("outcome").textValue());
            assertEquals("SENT", line.path("notification_status").textValue());
            assertEquals(1, line.path("sent").asInt());
            assertFalse(logs.text().contains(FISCAL_CODE));
            assertFalse(logs.text().contains(phone.pushChannel()));
            assertTrue(logs.text().contains("\"PushesSent\":1"), "a metric line counts the pushes");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theEventNamesNoCitizenAndTheRecipientComesFromTheStatusItem() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        assertFalse(message.toJson().contains(FISCAL_CODE), "no fiscal code on the topic or the queue");
        assertEquals(List.of(), f.handler.handleRequest(PushFixture.event(PushFixture.record(message.toJson())), null)
                .getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());

        // An event of a message that does not exist reaches nobody, and is acknowledged.
        MessageProcessedEvent unknown = message.withFiscalCode(null);
        f.recipients.remove(unknown.messageId());
        assertEquals(List.of(), f.handler.handleRequest(PushFixture.event(PushFixture.record(unknown.toJson())), null)
                .getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
    }

    @Test
    void anEventWithPushesDisabledPushesNoDevice() {
        Installation phone = f.device(FISCAL_CODE, "phone", Platform.APNS);
        MessageProcessedEvent message = f.message(FISCAL_CODE, false);
        MessageProcessedEvent disabled = new MessageProcessedEvent(message.messageId(), null, message.senderServiceId(),
                message.createdAt(), message.timeToLive(), message.featureLevelType(), false, false, false);
        assertEquals(List.of(), f.handler.handleRequest(PushFixture.event(PushFixture.record(disabled.toJson())), null)
                .getBatchItemFailures());
        assertEquals(0, f.endpoints.pushesTo(phone.endpointArn()).size(), "the citizen said no pushes from this sender");
        assertEquals(null, f.statuses.status(message.messageId()), "no channel status: nothing was attempted");
    }
}
