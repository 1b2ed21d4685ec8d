package dev.ioserverless.local;

import static dev.ioserverless.local.TestPlatform.await;
import static dev.ioserverless.local.TestPlatform.send;
import static dev.ioserverless.local.TestPlatform.url;
import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static dev.ioserverless.local.TestData.newMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first message flow, end to end over HTTP on the local platform with the real SDK:
 * submit, process against the profile and preferences, read back, and the dead-letter path.
 */
class MessageFlowIT {
    private static LocalPlatform platform;
    private static String apiKey;
    private static String citizen;

    /** Before each test, not once: where the platform cannot start (no Docker for LocalStack) each test reports skipped. */
    @BeforeEach
    void start() {
        platform = TestPlatform.get();
        JsonNode demo = TestPlatform.demoJson();
        apiKey = demo.path("api_key").asText();
        citizen = demo.path("citizen_fiscal_code").asText();
    }

    @Test
    void demoJsonHasTheContractFields() {
        JsonNode demo = TestPlatform.demoJson();
        for (String field : List.of("api_base_url", "service_id", "api_key", "citizen_fiscal_code",
                "dynamodb_endpoint", "sqs_endpoint", "sns_endpoint", "limited_api_key")) {
            assertTrue(demo.path(field).isTextual() && !demo.path(field).asText().isEmpty(), field);
        }
        assertEquals(platform.apiBaseUrl().toString(), demo.path("api_base_url").asText());
    }

    @Test
    void aMessageToTheDemoCitizenIsProcessed() {
        HttpResponse<String> created = submit(apiKey, citizen, newMessage());
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        assertTrue(Ulid.isValid(id), id);
        assertEquals(Set.of("id"), fieldNames(Json.read(created.body())), "CreatedMessage has only id");
        assertEquals("/api/v1/messages/" + citizen + "/" + id, created.headers().firstValue("Location").orElseThrow());

        JsonNode read = awaitStatus(apiKey, citizen, id, "PROCESSED");
        JsonNode message = read.path("message");
        // The demo citizen has a phone and a validated address: once the push or the email went out,
        // IO's optional notification appears too, with a status per channel (webhook is the push).
        assertTrue(Set.of("message", "status", "notification").containsAll(fieldNames(read)),
                "no properties beyond IO's schema: " + fieldNames(read));
        assertTrue(!read.has("notification") || (!fieldNames(read.path("notification")).isEmpty()
                && Set.of("webhook", "email").containsAll(fieldNames(read.path("notification")))), read.toString());
        assertEquals(Set.of("id", "fiscal_code", "created_at", "sender_service_id", "time_to_live",
                "feature_level_type", "content"), fieldNames(message));
        assertEquals(id, message.path("id").asText());
        assertEquals(citizen, message.path("fiscal_code").asText());
        assertEquals(TestPlatform.demoJson().path("service_id").asText(), message.path("sender_service_id").asText());
        assertEquals(3600, message.path("time_to_live").asInt());
        assertEquals("STANDARD", message.path("feature_level_type").asText());
        assertEquals(SUBJECT, message.path("content").path("subject").asText());
        assertEquals(MARKDOWN, message.path("content").path("markdown").asText());
    }

    @Test
    void aCitizenWithoutAProfileIsRejectedAsUserNotFound() {
        String stranger = FiscalCodes.random();
        String id = Json.read(submit(apiKey, stranger, newMessage()).body()).path("id").asText();
        awaitStatus(apiKey, stranger, id, "REJECTED");
        assertEquals("USER_NOT_FOUND", awaitDetail(stranger, id, "REJECTED").path("rejection_reason").asText());
    }

    @Test
    void aDisabledInboxIsRejectedAsServiceNotAllowed() {
        String citizenWithInboxOff = FiscalCodes.random();
        TestData.profile(citizenWithInboxOff, false, ServicePreferencesMode.AUTO, Map.of());
        String id = Json.read(submit(apiKey, citizenWithInboxOff, newMessage()).body()).path("id").asText();
        assertEquals("SERVICE_NOT_ALLOWED", awaitDetail(citizenWithInboxOff, id, "REJECTED").path("rejection_reason").asText());
    }

    @Test
    void aServiceBlockedByThePreferenceIsRejectedAndAnAllowedOneProcessed() {
        String serviceId = TestPlatform.demoJson().path("service_id").asText();
        String blocking = FiscalCodes.random();
        TestData.profile(blocking, true, ServicePreferencesMode.MANUAL, Map.of());
        TestData.preference(blocking, serviceId, false);
        String rejected = Json.read(submit(apiKey, blocking, newMessage()).body()).path("id").asText();
        assertEquals("SERVICE_NOT_ALLOWED", awaitDetail(blocking, rejected, "REJECTED").path("rejection_reason").asText());

        String legacyBlocked = FiscalCodes.random();
        TestData.profile(legacyBlocked, true, ServicePreferencesMode.LEGACY,
                Map.of(serviceId, Set.of(BlockedInboxOrChannel.INBOX)));
        String legacy = Json.read(submit(apiKey, legacyBlocked, newMessage()).body()).path("id").asText();
        assertEquals("SERVICE_NOT_ALLOWED", awaitDetail(legacyBlocked, legacy, "REJECTED").path("rejection_reason").asText());

        String allowing = FiscalCodes.random();
        TestData.profile(allowing, true, ServicePreferencesMode.MANUAL, Map.of());
        TestData.preference(allowing, serviceId, true);
        String processed = Json.read(submit(apiKey, allowing, newMessage()).body()).path("id").asText();
        awaitStatus(apiKey, allowing, processed, "PROCESSED");
    }

    @Test
    void aProcessedMessageIsPublishedOnTheMessageEventsTopic() {
        String queueName = "it-message-events-" + UUID.randomUUID();
        String queueUrl = platform.sqs().createQueue(b -> b.queueName(queueName)).queueUrl();
        platform.sns().subscribe(b -> b.topicArn(platform.stack().arn("MessageEventsTopic")).protocol("sqs")
                .endpoint("arn:aws:sqs:" + LocalPlatform.REGION + ":" + LocalPlatform.ACCOUNT_ID + ":" + queueName)
                .attributes(Map.of("RawMessageDelivery", "true")));
        String id = Json.read(submit(apiKey, citizen, newMessage()).body()).path("id").asText();
        awaitStatus(apiKey, citizen, id, "PROCESSED");

        JsonNode event = null;
        for (int i = 0; i < 10 && event == null; i++) {
            for (var received : platform.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")).messages()) {
                JsonNode body = Json.read(received.body());
                if (id.equals(body.path("message_id").asText())) {
                    event = body;
                    assertEquals("MessageProcessed", received.messageAttributes().get("event_type").stringValue());
                }
            }
        }
        assertTrue(event != null, "MessageProcessed event for " + id);
        assertEquals("MessageProcessed", event.path("event_type").asText());
        assertFalse(event.toString().contains(MARKDOWN), "events carry no message content");
    }

    @Test
    void anotherServiceCannotReadTheMessage() {
        String id = Json.read(submit(apiKey, citizen, newMessage()).body()).path("id").asText();
        String otherKey = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead)).primaryKey();
        HttpResponse<String> response = get(otherKey, citizen, id);
        assertEquals(404, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        // and the right service with the wrong fiscal code does not find it either
        assertEquals(404, get(apiKey, FiscalCodes.random(), id).statusCode());
    }

    @Test
    void aMissingOrUnknownKeyIs401AndNothingIsWritten() {
        String recipient = FiscalCodes.random();
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(url("/api/v1/messages/" + recipient))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(newMessage())));
        assertEquals(401, noKey.statusCode());
        assertEquals(401, submit("not-a-real-key", recipient, newMessage()).statusCode());
        assertEquals(0, TestData.messagesFor(recipient));
    }

    @Test
    void badInputIs400ProblemNamingTheFieldAndNothingIsWritten() {
        String recipient = FiscalCodes.random();
        HttpResponse<String> shortSubject = submit(apiKey, recipient,
                "{\"content\":{\"subject\":\"too short\",\"markdown\":\"" + MARKDOWN + "\"}}");
        assertEquals(400, shortSubject.statusCode());
        assertEquals("application/problem+json", shortSubject.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = Json.read(shortSubject.body());
        assertEquals(400, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains("content.subject"), problem.toString());
        assertTrue(problem.has("type") && problem.has("title"));

        assertEquals(400, submit(apiKey, "NOTAFISCALCODE", newMessage()).statusCode());
        assertEquals(400, submit(apiKey, recipient, "{not json").statusCode());
        assertEquals(0, TestData.messagesFor(recipient));
    }

    @Test
    void messagesInTheDeadLetterQueueAreMarkedFailed() {
        String recipient = FiscalCodes.random();
        Message stuck = Message.accepted(Ulid.next(), recipient, TestPlatform.demoJson().path("service_id").asText(),
                Instant.now(), 3600, dev.ioserverless.messages.FeatureLevelType.STANDARD,
                dev.ioserverless.messages.MessageContent.parse(Json.read(
                        "{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\"}")));
        DynamoMessageStore store = TestData.messages();
        store.create(stuck);
        platform.sqs().sendMessage(b -> b.queueUrl(platform.queueUrl("MessageCreatedDLQ"))
                .messageBody("{\"message_id\":\"" + stuck.id() + "\"}"));
        await(() -> store.find(stuck.id()).map(m -> m.status() == MessageStatus.FAILED).orElse(false),
                Duration.ofSeconds(10), "status FAILED");
        assertEquals("FAILED", awaitStatus(apiKey, recipient, stuck.id(), "FAILED").path("status").asText());
    }

    // ---------------------------------------------------------------- helpers

    static HttpResponse<String> submit(String key, String fiscalCode, String body) {
        return send(HttpRequest.newBuilder(url("/api/v1/messages/" + fiscalCode))
                .header("Ocp-Apim-Subscription-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> get(String key, String fiscalCode, String id) {
        return send(HttpRequest.newBuilder(url("/api/v1/messages/" + fiscalCode + "/" + id))
                .header("Ocp-Apim-Subscription-Key", key).GET());
    }

    static JsonNode awaitStatus(String key, String fiscalCode, String id, String status) {
        JsonNode[] last = new JsonNode[1];
        await(() -> {
            HttpResponse<String> response = get(key, fiscalCode, id);
            last[0] = response.statusCode() == 200 ? Json.read(response.body()) : null;
            return last[0] != null && status.equals(last[0].path("status").asText());
        }, Duration.ofSeconds(10), "status " + status + " for " + id);
        return last[0];
    }

    /** The richer /api/v2 view, with the rejection reason. */
    static JsonNode awaitDetail(String fiscalCode, String id, String status) {
        JsonNode[] last = new JsonNode[1];
        await(() -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v2/messages/" + fiscalCode + "/" + id))
                    .header("Ocp-Apim-Subscription-Key", apiKey).GET());
            last[0] = response.statusCode() == 200 ? Json.read(response.body()) : null;
            return last[0] != null && status.equals(last[0].path("status").asText());
        }, Duration.ofSeconds(10), "status " + status + " for " + id);
        return last[0];
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
