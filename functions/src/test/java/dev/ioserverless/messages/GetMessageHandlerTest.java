package dev.ioserverless.messages;

import dev.ioserverless.common.ExpectedErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.InMemoryServiceStore;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestServices;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class GetMessageHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String KEY = "tari-key";

    final ApiFixture fixture = new ApiFixture();
    final InMemoryServiceStore services = fixture.services;
    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryServicePreferenceStore preferences = new InMemoryServicePreferenceStore();
    final GetMessageHandler handler = new GetMessageHandler(fixture.readOnlyApi(TestMessages.log()), messages,
            profiles, preferences, TestMessages.log());
    final Message message;

    GetMessageHandlerTest() {
        services.save(TestServices.tari(), KEY, null);
        services.save(TestServices.service("other", EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead),
                Set.of(), List.of(), 0), "other-key", null);
        services.save(TestServices.service("writer", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0),
                "writer-key", null);
        PaymentData payment = new PaymentData(18_250, "302000100000009424", false, TestServices.ORGANIZATION_FISCAL_CODE);
        message = Message.accepted(Ulid.of(TestMessages.NOW.toEpochMilli()), CF, TestServices.SERVICE_ID,
                TestMessages.NOW, 7200, FeatureLevelType.STANDARD,
                new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN,
                        Instant.parse("2024-04-30T23:59:59Z"), payment, null));
        messages.put(message);
    }

    APIGatewayV2HTTPResponse get(String fiscalCode, String id, String key) {
        return handler.handleRequest(HttpEvents.get(fiscalCode, id, key), null);
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String detail) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
        if (detail != null) {
            assertEquals(detail, Json.read(response.getBody()).get("detail").textValue());
        }
    }

    @Test
    void returnsTheMessageAndItsStatus() {
        APIGatewayV2HTTPResponse response = get(CF, message.id(), KEY);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.read(response.getBody());
        assertEquals(List.of("message", "status"), names(body));
        assertEquals("ACCEPTED", body.get("status").textValue());
        JsonNode m = body.get("message");
        assertEquals(List.of("id", "fiscal_code", "created_at", "sender_service_id", "time_to_live",
                "feature_level_type", "content"), names(m));
        assertEquals(message.id(), m.get("id").textValue());
        assertEquals(CF, m.get("fiscal_code").textValue());
        assertEquals("2024-03-01T10:15:30.123Z", m.get("created_at").textValue());
        assertEquals(TestServices.SERVICE_ID, m.get("sender_service_id").textValue());
        assertEquals(7200, m.get("time_to_live").intValue());
        assertEquals("STANDARD", m.get("feature_level_type").textValue());
        assertEquals(Json.read("""
                {"subject": "%s", "markdown": "%s", "due_date": "2024-04-30T23:59:59.000Z",
                 "payment_data": {"amount": 18250, "notice_number": "302000100000009424",
                   "invalid_after_due_date": false, "payee": {"fiscal_code": "01199250158"}}}
                """.formatted(TestMessages.SUBJECT, TestMessages.MARKDOWN)), m.get("content"));
    }

    @Test
    void reportsTheCurrentStatus() {
        messages.put(TestMessages.withStatus(message, MessageStatus.REJECTED, RejectionReason.USER_NOT_FOUND));
        assertEquals("REJECTED", Json.read(get(CF, message.id(), KEY).getBody()).get("status").textValue());
        messages.put(TestMessages.withStatus(message, MessageStatus.FAILED, null));
        assertEquals("FAILED", Json.read(get(CF, message.id(), KEY).getBody()).get("status").textValue());
    }

    @Test
    void anotherServicesMessageIs404() {
        assertProblem(get(CF, message.id(), "other-key"), 404, "id: no message with this id for this fiscal code");
    }

    @Test
    void anotherFiscalCodeIs404() {
        assertProblem(get("MRTMTT25D09F205Z", message.id(), KEY), 404, "id: no message with this id for this fiscal code");
    }

    @Test
    void unknownIdIs404() {
        assertProblem(get(CF, Ulid.next(), KEY), 404, "id: no message with this id for this fiscal code");
    }

    @Test
    void malformedIdIs400() {
        APIGatewayV2HTTPResponse response = get(CF, "not-a-ulid", KEY);
        assertProblem(response, 400, null);
        assertTrue(Json.read(response.getBody()).get("detail").textValue().startsWith("id: "));
    }

    @Test
    void malformedFiscalCodeIs400() {
        APIGatewayV2HTTPResponse response = get("RSSMRA80A01H501", message.id(), KEY);
        assertProblem(response, 400, null);
        assertTrue(Json.read(response.getBody()).get("detail").textValue().startsWith("fiscal_code: "));
    }

    @Test
    void serviceWithoutReadGroupIs403() {
        assertProblem(get(CF, message.id(), "writer-key"), 403, "service: requires group ApiMessageRead");
    }

    @Test
    void missingOrUnknownKeyIs401() {
        assertProblem(get(CF, message.id(), null), 401, "Ocp-Apim-Subscription-Key: required");
        assertProblem(get(CF, message.id(), "bad"), 401, "Ocp-Apim-Subscription-Key: unknown key");
    }

    @Test
    void thePushChannelStatusIsTheNotificationWebhook() {
        assertTrue(Json.read(get(CF, message.id(), KEY).getBody()).path("notification").isMissingNode(),
                "no notification before the push channel has a status");
        messages.put(TestMessages.withStatus(message, MessageStatus.PROCESSED, null)
                .withNotification(NotificationChannelStatus.EXPIRED, TestMessages.NOW.plusSeconds(9000)));
        JsonNode body = Json.read(get(CF, message.id(), KEY).getBody());
        assertEquals(List.of("message", "status", "notification"), names(body));
        assertEquals(List.of("webhook"), names(body.get("notification")));
        assertEquals("EXPIRED", body.path("notification").path("webhook").textValue());
    }

    @Test
    void theV2ViewCarriesTheProcessingDetailAndTheNotification() {
        messages.put(TestMessages.withStatus(message, MessageStatus.REJECTED, RejectionReason.SERVICE_NOT_ALLOWED));
        JsonNode rejected = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, message.id(), KEY), null)
                .getBody());
        assertEquals("SERVICE_NOT_ALLOWED", rejected.path("rejection_reason").textValue());
        assertTrue(rejected.path("content").isMissingNode());
        assertTrue(rejected.path("notification").isMissingNode());

        messages.put(TestMessages.withStatus(message, MessageStatus.PROCESSED, null)
                .withNotification(NotificationChannelStatus.SENT, Instant.parse("2024-03-01T10:15:32.500Z")));
        JsonNode processed = Json.read(handler.handleRequest(HttpEvents.get("/api/v2", CF, message.id(), KEY), null)
                .getBody());
        assertEquals("PROCESSED", processed.path("status").textValue());
        assertTrue(processed.path("rejection_reason").isMissingNode());
        assertEquals("SENT", processed.path("notification").path("webhook").textValue());
        assertEquals(List.of("webhook"), names(processed.get("notification")));
        assertEquals("2024-03-01T10:15:30.123Z", processed.path("status_updated_at").textValue());
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeaders() {
        APIGatewayV2HTTPResponse ok = get(CF, message.id(), KEY);
        assertEquals("150", ok.getHeaders().get("X-RateLimit-Limit"));
        assertEquals("149", ok.getHeaders().get("X-RateLimit-Remaining"));
        APIGatewayV2HTTPResponse notFound = get(CF, Ulid.next(), KEY);
        assertEquals(404, notFound.getStatusCode());
        assertEquals("148", notFound.getHeaders().get("X-RateLimit-Remaining"));
    }

    @ExpectedErrors("request_failed")
    @Test
    void storeFailureIs500Problem() {
        messages.failFindWith = new IllegalStateException("table unavailable");
        assertProblem(get(CF, message.id(), KEY), 500, null);
    }

    private static List<String> names(JsonNode node) {
        return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false).toList();
    }
}
