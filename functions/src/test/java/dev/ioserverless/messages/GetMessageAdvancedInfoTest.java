package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.AccessReadMessageStatus;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.profiles.TestProfiles;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestServices;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When GET message shows read_status and payment_status, and what they say. */
class GetMessageAdvancedInfoTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String ADVANCED_READER = "advanced-key";
    static final Instant LATER = Instant.parse("2024-03-02T08:00:00.000Z");

    final ApiFixture fixture = new ApiFixture();
    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryServicePreferenceStore preferences = new InMemoryServicePreferenceStore();
    final GetMessageHandler handler = new GetMessageHandler(fixture.readOnlyApi(TestMessages.log()), messages, profiles,
            preferences, TestMessages.log());

    GetMessageAdvancedInfoTest() {
        // The sending service itself, given the advanced read group (TestServices.tari() lacks it).
        fixture.services.save(TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiMessageWrite,
                ServiceGroup.ApiMessageRead, ServiceGroup.ApiMessageReadAdvanced), ADVANCED_READER, null);
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 2));
    }

    /** The sending service back to ApiMessageRead without ApiMessageReadAdvanced. */
    void revokeAdvancedRead() {
        fixture.services.save(TestServices.tari());
    }

    Message message(FeatureLevelType level, boolean payment, MessageStatus status) {
        PaymentData paymentData = payment
                ? new PaymentData(18_250, "302000100000009424", false, TestServices.ORGANIZATION_FISCAL_CODE) : null;
        Message message = Message.accepted(Ulid.of(TestMessages.NOW.toEpochMilli()), CF, TestServices.SERVICE_ID,
                TestMessages.NOW, 3600, level, new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null,
                        paymentData, null));
        return status == MessageStatus.ACCEPTED ? message : TestMessages.withStatus(message, status,
                status == MessageStatus.REJECTED ? RejectionReason.USER_NOT_FOUND : null);
    }

    JsonNode read(Message message, String key) {
        messages.put(message);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.get(CF, message.id(), key), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Json.read(response.getBody());
    }

    JsonNode read(Message message) {
        return read(message, ADVANCED_READER);
    }

    static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aProcessedAdvancedPaymentMessageReadWithTheGroupShowsBoth() {
        JsonNode body = read(message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED));
        assertEquals(List.of("message", "status", "read_status", "payment_status"), names(body));
        assertEquals("UNREAD", body.get("read_status").textValue());
        assertEquals("NOT_PAID", body.get("payment_status").textValue());
    }

    @Test
    void readAtMakesItReadAndPaidAtMakesItPaid() {
        Message message = message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED);
        JsonNode read = read(message.withReadAt(LATER));
        assertEquals("READ", read.get("read_status").textValue());
        assertEquals("NOT_PAID", read.get("payment_status").textValue());
        JsonNode paid = read(message.withReadAt(LATER).withPaid(LATER.plusSeconds(60), "receipt-1"));
        assertEquals("PAID", paid.get("payment_status").textValue());
    }

    @Test
    void aStandardMessageNeverShowsThem() {
        JsonNode body = read(message(FeatureLevelType.STANDARD, true, MessageStatus.PROCESSED).withReadAt(LATER));
        assertFalse(body.has("read_status"));
        assertFalse(body.has("payment_status"));
    }

    @Test
    void aReaderWithoutApiMessageReadAdvancedNeverSeesThem() {
        revokeAdvancedRead();
        JsonNode body = read(message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED).withReadAt(LATER));
        assertEquals(List.of("message", "status"), names(body));
    }

    @Test
    void aMessageNotInTheInboxDoesNotShowThem() {
        for (MessageStatus status : List.of(MessageStatus.ACCEPTED, MessageStatus.REJECTED, MessageStatus.FAILED)) {
            JsonNode body = read(message(FeatureLevelType.ADVANCED, true, status));
            assertFalse(body.has("read_status"), status.name());
            assertFalse(body.has("payment_status"), status.name());
        }
    }

    @Test
    void withoutAPaymentNoticeThereIsNoPaymentStatus() {
        JsonNode body = read(message(FeatureLevelType.ADVANCED, false, MessageStatus.PROCESSED).withPaid(LATER, "receipt-1"));
        assertEquals("UNREAD", body.get("read_status").textValue());
        assertFalse(body.has("payment_status"));
    }

    @Test
    void aCitizenWhoDeniesReadStatusToTheServiceMakesItUnavailable() {
        preferences.save(new ServicePreference(CF, TestServices.SERVICE_ID, true, true, true, 2,
                AccessReadMessageStatus.DENY));
        JsonNode body = read(message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED).withReadAt(LATER));
        assertEquals("UNAVAILABLE", body.get("read_status").textValue());
        assertEquals("NOT_PAID", body.get("payment_status").textValue(), "payment status does not depend on it");
    }

    @Test
    void aStaleDenyOrAnotherServicesDenyDoesNotCount() {
        preferences.save(new ServicePreference(CF, TestServices.SERVICE_ID, true, true, true, 1,
                AccessReadMessageStatus.DENY));
        preferences.save(new ServicePreference(CF, "another-service", true, true, true, 2, AccessReadMessageStatus.DENY));
        assertEquals("READ", read(message(FeatureLevelType.ADVANCED, false, MessageStatus.PROCESSED).withReadAt(LATER))
                .get("read_status").textValue());
    }

    @Test
    void unknownAllowsAsInIo() {
        preferences.save(new ServicePreference(CF, TestServices.SERVICE_ID, true, true, true, 2,
                AccessReadMessageStatus.UNKNOWN));
        assertEquals("UNREAD", read(message(FeatureLevelType.ADVANCED, false, MessageStatus.PROCESSED))
                .get("read_status").textValue());
    }

    @Test
    void aLegacyProfileSharesAndAMissingProfileDoesNot() {
        profiles.save(TestProfiles.legacy(CF, Map.of()));
        assertEquals("READ", read(message(FeatureLevelType.ADVANCED, false, MessageStatus.PROCESSED).withReadAt(LATER))
                .get("read_status").textValue());
        assertEquals(0, preferences.reads.get(), "LEGACY mode has no preferences to read");

        InMemoryProfileStore none = new InMemoryProfileStore();
        GetMessageHandler withoutProfiles = new GetMessageHandler(fixture.readOnlyApi(TestMessages.log()), messages, none,
                preferences, TestMessages.log());
        Message message = message(FeatureLevelType.ADVANCED, false, MessageStatus.PROCESSED).withReadAt(LATER);
        messages.put(message);
        JsonNode body = Json.read(withoutProfiles.handleRequest(HttpEvents.get(CF, message.id(), ADVANCED_READER), null)
                .getBody());
        assertEquals("UNAVAILABLE", body.get("read_status").textValue());
    }

    @Test
    void theProfileIsReadOnlyWhenTheAnswerNeedsIt() {
        read(message(FeatureLevelType.STANDARD, true, MessageStatus.PROCESSED));
        read(message(FeatureLevelType.ADVANCED, true, MessageStatus.ACCEPTED));
        assertEquals(0, profiles.reads.get());
        read(message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED));
        assertEquals(1, profiles.reads.get());
        revokeAdvancedRead();
        read(message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED));
        assertEquals(1, profiles.reads.get(), "not without the group");
    }

    @Test
    void theV2ViewFollowsTheSameRules() {
        Message message = message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED).withPaid(LATER, "receipt-1")
                .withNotification(NotificationChannelStatus.SENT, LATER);
        messages.put(message);
        JsonNode detail = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, message.id(), ADVANCED_READER), null)
                .getBody());
        assertEquals("UNREAD", detail.get("read_status").textValue());
        assertEquals("PAID", detail.get("payment_status").textValue());
        assertEquals("SENT", detail.get("notification").get("webhook").textValue());
        assertFalse(detail.has("content"));
        revokeAdvancedRead();
        JsonNode plain = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, message.id(), ADVANCED_READER), null)
                .getBody());
        assertFalse(plain.has("read_status"));
        assertTrue(plain.has("notification"));
    }

    @Test
    void theRulesOnTheirOwn() {
        var reader = TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiMessageRead, ServiceGroup.ApiMessageReadAdvanced);
        var plainReader = TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiMessageRead);
        Message processed = message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED);
        assertTrue(AdvancedMessageInfo.isVisible(processed, reader));
        assertFalse(AdvancedMessageInfo.isVisible(processed, plainReader));
        assertFalse(AdvancedMessageInfo.isVisible(message(FeatureLevelType.STANDARD, true, MessageStatus.PROCESSED), reader));
        assertEquals(ReadStatus.UNAVAILABLE, AdvancedMessageInfo.readStatus(processed.withReadAt(LATER), false));
        assertEquals(ReadStatus.READ, AdvancedMessageInfo.readStatus(processed.withReadAt(LATER), true));
        assertEquals(ReadStatus.UNREAD, AdvancedMessageInfo.readStatus(processed, true));
        Message withoutPayee = new Message(processed.id(), CF, processed.senderServiceId(), processed.createdAt(), 3600,
                FeatureLevelType.ADVANCED, new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null,
                        new PaymentData(100, "302000100000009424", false, null), null),
                MessageStatus.PROCESSED, null, processed.createdAt());
        assertTrue(AdvancedMessageInfo.paymentStatus(withoutPayee).isEmpty(), "payment status needs a payee");
        assertEquals(Set.of(PaymentStatus.PAID), Set.of(AdvancedMessageInfo.paymentStatus(processed.withPaid(LATER, "receipt-1"))
                .orElseThrow()));
    }

    /** The v2 detail view lists the reminders sent, for a message reminders apply to, under payment_status's rules. */
    @Test
    void theDetailViewListsTheRemindersSentOldestFirst() {
        Message plain = message(FeatureLevelType.ADVANCED, true, MessageStatus.PROCESSED);
        Message withDueDate = new Message(plain.id(), plain.fiscalCode(), plain.senderServiceId(), plain.createdAt(),
                plain.timeToLive(), plain.featureLevelType(), new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN,
                Instant.parse("2024-03-20T11:00:00Z"), plain.content().paymentData(), null), plain.status(), null,
                plain.statusUpdatedAt());
        messages.put(withDueDate);
        messages.putReminders(withDueDate.id(), List.of(
                dev.ioserverless.reminders.ReminderSlot.sent(dev.ioserverless.reminders.ReminderKind.REMINDER_PAYMENT,
                        Instant.parse("2024-03-07T07:00:00Z")),
                dev.ioserverless.reminders.ReminderSlot.sent(dev.ioserverless.reminders.ReminderKind.REMINDER_PAYMENT_LAST,
                        Instant.parse("2024-03-19T07:00:00.250Z"))));
        JsonNode detail = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, withDueDate.id(), ADVANCED_READER),
                null).getBody());
        assertEquals(Json.read("[{\"kind\":\"REMINDER_PAYMENT\",\"sent_at\":\"2024-03-07T07:00:00.000Z\"},"
                + "{\"kind\":\"REMINDER_PAYMENT_LAST\",\"sent_at\":\"2024-03-19T07:00:00.250Z\"}]"), detail.path("reminders"));
        JsonNode v1 = Json.read(handler.handleRequest(HttpEvents.get(CF, withDueDate.id(), ADVANCED_READER), null).getBody());
        assertFalse(v1.has("reminders"), "IO's v1 shape has no room for them");

        Message noDue = new Message(Ulid.next(), CF, plain.senderServiceId(), plain.createdAt(), plain.timeToLive(),
                plain.featureLevelType(), plain.content(), plain.status(), null, plain.statusUpdatedAt());
        messages.put(noDue);
        JsonNode noDueDate = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, noDue.id(), ADVANCED_READER),
                null).getBody());
        assertEquals("NOT_PAID", noDueDate.path("payment_status").asText());
        assertFalse(noDueDate.has("reminders"), "no due date, no reminders");

        revokeAdvancedRead();
        JsonNode withoutGroup = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, withDueDate.id(),
                ADVANCED_READER), null).getBody());
        assertFalse(withoutGroup.has("reminders"), "ApiMessageReadAdvanced is needed, as for payment_status");
    }
}
