package dev.ioserverless.messages;

import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.LogCapture;
import static dev.ioserverless.messages.TestMessages.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.InMemoryServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestServices;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmitMessageHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String OTHER_CF = "MRTMTT25D09F205Z";
    static final String KEY = "tari-primary-key";

    final ApiFixture fixture = new ApiFixture();
    final InMemoryServiceStore services = fixture.services;
    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final RecordingQueue queue = new RecordingQueue();
    final SubmitMessageHandler handler =
            new SubmitMessageHandler(fixture.api(TestMessages.log()), messages, queue, fixture.clock, TestMessages.log());

    SubmitMessageHandlerTest() {
        services.save(TestServices.tari(), KEY, "tari-secondary-key");
    }

    APIGatewayV2HTTPResponse submit(JsonNode body) {
        return handler.handleRequest(HttpEvents.submit(CF, Json.write(body), KEY), null);
    }

    static JsonNode bodyOf(APIGatewayV2HTTPResponse response) {
        return Json.read(response.getBody());
    }

    void assertProblem(APIGatewayV2HTTPResponse response, int status, String detail) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
        JsonNode problem = bodyOf(response);
        assertEquals(status, problem.get("status").intValue());
        assertTrue(problem.get("type").textValue().startsWith("urn:io-serverless:problem:"));
        assertFalse(problem.get("title").textValue().isBlank());
        if (detail != null) {
            assertEquals(detail, problem.get("detail").textValue());
        }
    }

    void assertNothingWritten() {
        assertEquals(0, messages.size());
        assertTrue(queue.sent.isEmpty());
    }

    void saveService(Service service, String key) {
        services.save(service, key, null);
    }

    @Test
    void acceptsAMessage() {
        APIGatewayV2HTTPResponse response = submit(body());

        assertEquals(201, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        String id = bodyOf(response).get("id").textValue();
        assertTrue(Ulid.isValid(id));
        assertEquals(1, bodyOf(response).size());
        assertEquals("/api/v1/messages/" + CF + "/" + id, response.getHeaders().get("Location"));

        Message stored = messages.get(id).orElseThrow();
        assertEquals(MessageStatus.ACCEPTED, stored.status());
        assertEquals(CF, stored.fiscalCode());
        assertEquals(TestServices.SERVICE_ID, stored.senderServiceId());
        assertEquals(TestMessages.NOW, stored.createdAt());
        assertEquals(3600, stored.timeToLive());
        assertEquals(FeatureLevelType.STANDARD, stored.featureLevelType());
        assertEquals(List.of(new MessageCreated(id)), queue.sent);
        assertEquals(List.of("create " + id), messages.calls);
    }

    @Test
    void secondaryKeyWorksToo() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                HttpEvents.submit(CF, Json.write(body()), "tari-secondary-key"), null);
        assertEquals(201, response.getStatusCode());
    }

    @Test
    void paymentWithoutPayeeGetsTheServiceOrganization() {
        ObjectNode body = body();
        ((ObjectNode) body.get("content")).putObject("payment_data")
                .put("amount", 18_250).put("notice_number", "302000100000009424");
        String id = bodyOf(submit(body)).get("id").textValue();
        PaymentData payment = messages.get(id).orElseThrow().content().paymentData();
        assertEquals(TestServices.ORGANIZATION_FISCAL_CODE, payment.payeeFiscalCode());
        assertFalse(payment.invalidAfterDueDate());
    }

    @Test
    void missingKeyIs401() {
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), null), null), 401,
                "Ocp-Apim-Subscription-Key: required");
        assertNothingWritten();
    }

    @Test
    void unknownKeyIs401() {
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "nope"), null), 401,
                "Ocp-Apim-Subscription-Key: unknown key");
        assertNothingWritten();
    }

    @Test
    void authenticationComesBeforeBodyChecks() {
        APIGatewayV2HTTPEvent event = HttpEvents.submit(CF, "not json", null, "text/plain", HttpEvents.SOURCE_IP);
        assertProblem(handler.handleRequest(event, null), 401, null);
    }

    @Test
    void wrongContentTypeIs415() {
        APIGatewayV2HTTPEvent event = HttpEvents.submit(CF, Json.write(body()), KEY, "text/plain", HttpEvents.SOURCE_IP);
        assertProblem(handler.handleRequest(event, null), 415, "Content-Type: expected application/json");
        assertNothingWritten();
    }

    @Test
    void invalidBodyIs400NamingTheField() {
        ObjectNode body = body();
        ((ObjectNode) body.get("content")).put("subject", "too short");
        assertProblem(submit(body), 400, "content.subject: must be 10 to 120 characters");
        assertNothingWritten();
    }

    @Test
    void invalidPathFiscalCodeIs400() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                HttpEvents.submit("rssmra80a01h501u", Json.write(body()), KEY), null);
        assertProblem(response, 400, null);
        assertTrue(bodyOf(response).get("detail").textValue().startsWith("fiscal_code: "));
        assertNothingWritten();
    }

    @Test
    void fiscalCodeInBodyAsWellAsPathIs400() {
        ObjectNode body = body();
        body.put("fiscal_code", CF);
        assertProblem(submit(body), 400, "fiscal_code: must be given either in the path or in the body, not both");
        assertNothingWritten();
    }

    @Test
    void requestFromOutsideTheAuthorizedCidrsIs403() {
        saveService(TestServices.service("cidr", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(),
                List.of("192.0.2.0/24", "2001:db8::/32"), 0), "cidr-key");
        APIGatewayV2HTTPResponse outside = handler.handleRequest(
                HttpEvents.submit(CF, Json.write(body()), "cidr-key", "application/json", "198.51.100.1"), null);
        assertProblem(outside, 403, "source IP: not within the service's authorized_cidrs");
        assertNothingWritten();
        APIGatewayV2HTTPResponse inside = handler.handleRequest(
                HttpEvents.submit(CF, Json.write(body()), "cidr-key", "application/json", "2001:db8::7"), null);
        assertEquals(201, inside.getStatusCode());
    }

    @Test
    void serviceWithoutWriteGroupIs403() {
        saveService(TestServices.service("reader", EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0),
                "reader-key");
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "reader-key"), null), 403,
                "service: requires group ApiMessageWrite or ApiLimitedMessageWrite");
        assertNothingWritten();
    }

    @Test
    void limitedServiceMayOnlyWriteToItsAuthorizedRecipients() {
        saveService(TestServices.service("limited", EnumSet.of(ServiceGroup.ApiLimitedMessageWrite), Set.of(CF),
                List.of(), 0), "limited-key");
        APIGatewayV2HTTPResponse denied = handler.handleRequest(
                HttpEvents.submit(OTHER_CF, Json.write(body()), "limited-key"), null);
        assertProblem(denied, 403,
                "fiscal_code: not among the service's authorized_recipients (group ApiLimitedMessageWrite)");
        assertNothingWritten();
        assertEquals(201, handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "limited-key"), null)
                .getStatusCode());
    }

    @Test
    void advancedNeedsItsGroup() {
        saveService(TestServices.service("plain", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0),
                "plain-key");
        ObjectNode body = body();
        body.put("feature_level_type", "ADVANCED");
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body), "plain-key"), null), 403,
                "feature_level_type: ADVANCED requires group ApiMessageWriteAdvanced");
        assertNothingWritten();
        assertEquals(201, submit(body).getStatusCode());
    }

    @Test
    void payeeNeedsItsGroup() {
        saveService(TestServices.service("plain", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(),
                100_000), "plain-key");
        ObjectNode body = body();
        ((ObjectNode) body.get("content")).putObject("payment_data").put("amount", 100)
                .put("notice_number", "012345678901234567").putObject("payee").put("fiscal_code", "00000000000");
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body), "plain-key"), null), 403,
                "content.payment_data.payee: requires group ApiMessageWriteWithPayee");
        assertNothingWritten();
        String id = bodyOf(submit(body)).get("id").textValue();
        assertEquals("00000000000", messages.get(id).orElseThrow().content().paymentData().payeeFiscalCode());
    }

    @Test
    void amountAboveTheServiceMaximumIs400() {
        ObjectNode body = body();
        ObjectNode payment = ((ObjectNode) body.get("content")).putObject("payment_data")
                .put("amount", 100_001).put("notice_number", "012345678901234567");
        assertProblem(submit(body), 400,
                "content.payment_data.amount: exceeds the service's max_allowed_payment_amount (100000 euro cents)");
        assertNothingWritten();
        payment.put("amount", 100_000);
        assertEquals(201, submit(body).getStatusCode());
    }

    @Test
    void serviceWithDefaultMaximumCannotSendPaymentNotices() {
        saveService(TestServices.service("nopay", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0),
                "nopay-key");
        ObjectNode body = body();
        ((ObjectNode) body.get("content")).putObject("payment_data").put("amount", 1)
                .put("notice_number", "012345678901234567");
        assertProblem(handler.handleRequest(HttpEvents.submit(CF, Json.write(body), "nopay-key"), null), 400, null);
        assertNothingWritten();
    }

    @Test
    void aQueueFailureStillAccepts201AndLeavesTheMessageAcceptedForTheSweeper() {
        queue.failWith = new IllegalStateException("queue unavailable");
        try (LogCapture logs = new LogCapture()) {
            APIGatewayV2HTTPResponse response = submit(body());
            assertEquals(201, response.getStatusCode(), "stored is accepted: the sweeper queues it");
            String id = bodyOf(response).get("id").textValue();
            assertEquals(MessageStatus.ACCEPTED, messages.get(id).orElseThrow().status());
            assertEquals(1, messages.size());
            assertTrue(messages.calls.stream().noneMatch(call -> call.startsWith("transition")),
                    "never marked FAILED: " + messages.calls);
            JsonNode deferred = logs.events().stream()
                    .filter(e -> e.path("event").asText().equals("message_queue_deferred")).findFirst().orElseThrow();
            assertEquals("WARN", deferred.get("level").textValue());
            assertEquals(id, deferred.get("message_id").textValue());
        }
    }

    @ExpectedErrors("request_failed")
    @Test
    void storeFailureIs500ProblemAndNothingIsQueued() {
        messages.failCreateWith = new IllegalStateException("table unavailable");
        assertProblem(submit(body()), 500, "request: could not be completed; retry later");
        assertTrue(queue.sent.isEmpty());
    }

    @Test
    void logsNeitherFiscalCodesNorKeysNorContent() {
        try (LogCapture logs = new LogCapture()) {
            submit(body());
            handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "wrong-key-value"), null);
            ObjectNode invalid = body();
            ((ObjectNode) invalid.get("content")).put("markdown", "short markdown");
            submit(invalid);
            String text = logs.text();
            assertFalse(text.contains(CF), text);
            assertFalse(text.contains(KEY), text);
            assertFalse(text.contains("wrong-key-value"), text);
            assertFalse(text.contains(TestMessages.SUBJECT), text);
            assertFalse(text.contains("short markdown"), text);
            List<JsonNode> events = logs.events();
            assertEquals(List.of("message_accepted", "request_rejected", "request_rejected"),
                    events.stream().map(e -> e.get("event").textValue()).toList());
            assertTrue(events.get(0).has("message_id"));
            assertTrue(events.get(0).has("fiscal_code_ref"));
        }
    }

    // ---------------------------------------------------------------- POST /api/v1/messages (recipient in the body)

    APIGatewayV2HTTPResponse submitByBody(JsonNode body) {
        return handler.handleRequest(HttpEvents.submitByBody(Json.write(body), KEY).build(), null);
    }

    @Test
    void theRecipientMayBeInTheBody() {
        ObjectNode body = body();
        body.put("fiscal_code", CF);
        APIGatewayV2HTTPResponse response = submitByBody(body);
        assertEquals(201, response.getStatusCode(), response.getBody());
        String id = bodyOf(response).get("id").textValue();
        assertEquals("/api/v1/messages/" + CF + "/" + id, response.getHeaders().get("Location"));
        assertEquals(CF, messages.get(id).orElseThrow().fiscalCode());
        assertEquals(List.of(new MessageCreated(id)), queue.sent);
    }

    @Test
    void withoutTheRecipientInPathOrBodyIs400() {
        assertProblem(submitByBody(body()), 400, "fiscal_code: required, in the path or in the body");
        assertNothingWritten();
    }

    @Test
    void anInvalidRecipientInTheBodyIs400() {
        ObjectNode body = body();
        body.put("fiscal_code", "RSSMRA80A01H501");
        assertProblem(submitByBody(body), 400, "fiscal_code: must be a valid fiscal code matching "
                + dev.ioserverless.common.FiscalCode.PATTERN);
        body.put("fiscal_code", 42);
        assertProblem(submitByBody(body), 400, "fiscal_code: must be a string");
        assertNothingWritten();
    }

    @Test
    void aLimitedServiceIsCheckedAgainstTheRecipientInTheBody() {
        saveService(TestServices.service("limited", EnumSet.of(ServiceGroup.ApiLimitedMessageWrite), Set.of(CF),
                List.of(), 0), "limited-key");
        ObjectNode body = body();
        body.put("fiscal_code", OTHER_CF);
        assertProblem(handler.handleRequest(HttpEvents.submitByBody(Json.write(body), "limited-key").build(), null), 403,
                "fiscal_code: not among the service's authorized_recipients (group ApiLimitedMessageWrite)");
        assertNothingWritten();
    }

    // ---------------------------------------------------------------- Idempotency-Key and rate limit

    APIGatewayV2HTTPResponse submitWithKey(JsonNode body, String idempotencyKey) {
        return handler.handleRequest(HttpEvents.submitRequest(CF, Json.write(body), KEY, "application/json",
                HttpEvents.SOURCE_IP).header("Idempotency-Key", idempotencyKey).build(), null);
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheCreatedMessage() {
        APIGatewayV2HTTPResponse first = submitWithKey(body(), "tari-2024-0001");
        APIGatewayV2HTTPResponse retry = submitWithKey(body(), "tari-2024-0001");
        assertEquals(201, retry.getStatusCode());
        assertEquals(first.getBody(), retry.getBody());
        assertEquals(first.getHeaders().get("Location"), retry.getHeaders().get("Location"));
        assertEquals("true", retry.getHeaders().get("Idempotent-Replayed"));
        assertEquals(1, messages.size());
        assertEquals(1, queue.sent.size());
    }

    @Test
    void theSameKeyForAnotherMessageIs422AndWritesNothing() {
        submitWithKey(body(), "tari-2024-0001");
        ObjectNode other = body();
        other.put("time_to_live", 7200);
        assertProblem(submitWithKey(other, "tari-2024-0001"), 422, null);
        assertEquals(1, messages.size());
        assertEquals(1, queue.sent.size());
    }

    @Test
    void aRejectedSubmissionFreesItsKey() {
        ObjectNode invalid = body();
        ((ObjectNode) invalid.get("content")).put("subject", "short");
        assertProblem(submitWithKey(invalid, "tari-2024-0001"), 400, "content.subject: must be 10 to 120 characters");
        assertEquals(0, fixture.idempotency.size());
        assertEquals(201, submitWithKey(body(), "tari-2024-0001").getStatusCode());
    }

    @ExpectedErrors("request_failed")
    @Test
    void aRetryAfterAnAmbiguousWriteCreatesTheSameMessageNotASecondOne() {
        messages.ambiguousCreates = 1;
        APIGatewayV2HTTPResponse lost = submitWithKey(body(), "tari-2024-0001");
        assertEquals(500, lost.getStatusCode(), "the write's answer was lost");
        assertEquals(1, messages.size(), "yet the message was written");
        String written = messages.calls.get(0).substring("create ".length());
        APIGatewayV2HTTPResponse retry = submitWithKey(body(), "tari-2024-0001");
        assertEquals(201, retry.getStatusCode());
        assertEquals(written, bodyOf(retry).get("id").textValue(), "the id reserved for the key");
        assertEquals(1, messages.size(), "one message, not two");
        assertEquals(List.of(new MessageCreated(written)), queue.sent);
    }

    @Test
    void aNewKeyMakesANewMessage() {
        String first = bodyOf(submitWithKey(body(), "tari-2024-0001")).get("id").textValue();
        String second = bodyOf(submitWithKey(body(), "tari-2024-0002")).get("id").textValue();
        assertFalse(first.equals(second));
        assertEquals(2, messages.size());
    }

    @Test
    void overTheRateLimitNothingIsWritten() {
        Service small = TestServices.service("small", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0);
        services.save(new Service(small.serviceId(), small.serviceName(), small.departmentName(), small.organizationName(),
                small.organizationFiscalCode(), small.groups(), small.authorizedRecipients(), small.authorizedCidrs(),
                small.maxAllowedPaymentAmount(), 1), "small-key", null);
        APIGatewayV2HTTPResponse ok = handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "small-key"), null);
        assertEquals("0", ok.getHeaders().get("X-RateLimit-Remaining"));
        APIGatewayV2HTTPResponse limited = handler.handleRequest(HttpEvents.submit(CF, Json.write(body()), "small-key"), null);
        assertProblem(limited, 429, null);
        assertTrue(Integer.parseInt(limited.getHeaders().get("Retry-After")) >= 1);
        assertEquals(1, messages.size());
        assertEquals(1, queue.sent.size());
    }
}
