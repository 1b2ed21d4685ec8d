package dev.ioserverless.messages;

import dev.ioserverless.common.ExpectedErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestServices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubmitMessageBatchHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String OTHER_CF = "MRTMTT25D09F205Z";
    static final String KEY = ApiFixture.KEY;

    /** A queue that takes notices in batches, refusing those at the positions it is told to. */
    static final class BatchQueue implements MessageCreatedQueue {
        final List<MessageCreated> sent = Collections.synchronizedList(new ArrayList<>());
        final List<String> offered = Collections.synchronizedList(new ArrayList<>());
        final Set<Integer> refusePositions = Collections.synchronizedSet(new HashSet<>());
        int batches;

        @Override
        public void send(MessageCreated notice) {
            throw new AssertionError("a batch is queued with sendAll");
        }

        @Override
        public Map<String, String> sendAll(List<MessageCreated> notices) {
            batches++;
            Map<String, String> failed = new LinkedHashMap<>();
            for (int i = 0; i < notices.size(); i++) {
                MessageCreated notice = notices.get(i);
                offered.add(notice.messageId());
                if (refusePositions.contains(i)) {
                    failed.put(notice.messageId(), "SQS InternalError");
                } else {
                    sent.add(notice);
                }
            }
            return failed;
        }
    }

    final ApiFixture fixture = new ApiFixture();
    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final BatchQueue queue = new BatchQueue();
    final SubmitMessageBatchHandler handler = new SubmitMessageBatchHandler(fixture.api(TestMessages.log()), messages,
            queue, fixture.clock, TestMessages.log());

    static ObjectNode item(String fiscalCode) {
        ObjectNode item = TestMessages.body();
        item.put("fiscal_code", fiscalCode);
        return item;
    }

    static String batch(JsonNode... items) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("messages");
        for (JsonNode item : items) {
            list.add(item);
        }
        return Json.write(body);
    }

    APIGatewayV2HTTPResponse submit(String body) {
        return submit(body, KEY);
    }

    APIGatewayV2HTTPResponse submit(String body, String key) {
        return handler.handleRequest(HttpEvents.batch(body, key).build(), null);
    }

    static JsonNode results(APIGatewayV2HTTPResponse response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.read(response.getBody());
        assertEquals(List.of("results"), names(body));
        return body.get("results");
    }

    static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).get("index").intValue(), "results come in request order");
            statuses.add(results.get(i).get("status").intValue());
        }
        return statuses;
    }

    static String detail(JsonNode result) {
        return result.path("problem").path("detail").textValue();
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String detail) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
        assertEquals(detail, Json.read(response.getBody()).get("detail").textValue());
    }

    void assertNothingWritten() {
        assertEquals(0, messages.size());
        assertTrue(queue.sent.isEmpty());
        assertEquals(0, fixture.idempotency.size());
    }

    @Test
    void eachItemIsJudgedOnItsOwn() {
        ObjectNode shortSubject = item(CF);
        ((ObjectNode) shortSubject.get("content")).put("subject", "short");
        ObjectNode overTheCap = item(OTHER_CF);
        ((ObjectNode) overTheCap.get("content")).putObject("payment_data")
                .put("amount", 100_001).put("notice_number", "302000100000009424");
        ObjectNode noRecipient = TestMessages.body();
        JsonNode notAnObject = Json.read("\"hello\"");
        ObjectNode payment = item(OTHER_CF);
        ((ObjectNode) payment.get("content")).putObject("payment_data")
                .put("amount", 18_250).put("notice_number", "302000100000009424");

        JsonNode results = results(submit(batch(item(CF), shortSubject, overTheCap, noRecipient, notAnObject, payment)));

        assertEquals(List.of(201, 400, 400, 400, 400, 201), statuses(results));
        assertEquals("content.subject: must be 10 to 120 characters", detail(results.get(1)));
        assertEquals("content.payment_data.amount: exceeds the service's max_allowed_payment_amount (100000 euro cents)",
                detail(results.get(2)));
        assertEquals("fiscal_code: required, in the path or in the body", detail(results.get(3)));
        assertEquals("message: must be a JSON object", detail(results.get(4)));
        for (int i : List.of(1, 2, 3, 4)) {
            JsonNode result = results.get(i);
            assertEquals(List.of("index", "status", "problem"), names(result));
            assertEquals(List.of("type", "title", "status", "detail"), names(result.get("problem")));
            assertEquals(400, result.get("problem").get("status").intValue());
        }
        String first = results.get(0).get("id").textValue();
        String last = results.get(5).get("id").textValue();
        assertEquals(List.of("index", "status", "id"), names(results.get(0)));
        assertTrue(Ulid.isValid(first) && Ulid.isValid(last));
        assertEquals(CF, messages.get(first).orElseThrow().fiscalCode());
        assertEquals(TestServices.ORGANIZATION_FISCAL_CODE,
                messages.get(last).orElseThrow().content().paymentData().payeeFiscalCode(), "the default payee, as for one");
        assertEquals(2, messages.size());
        assertEquals(List.of(new MessageCreated(first), new MessageCreated(last)), queue.sent);
        assertEquals(1, queue.batches, "accepted items are queued together");
    }

    @Test
    void aLimitedServiceGets403ForEachItemItMayNotSend() {
        fixture.services.save(TestServices.service("limited", EnumSet.of(ServiceGroup.ApiLimitedMessageWrite), Set.of(CF),
                List.of(), 100_000), "limited-key", null);
        ObjectNode advanced = item(CF);
        advanced.put("feature_level_type", "ADVANCED");
        ObjectNode withPayee = item(CF);
        ((ObjectNode) withPayee.get("content")).putObject("payment_data").put("amount", 100)
                .put("notice_number", "012345678901234567").putObject("payee").put("fiscal_code", "00000000000");

        JsonNode results = results(submit(batch(item(OTHER_CF), item(CF), advanced, withPayee), "limited-key"));

        assertEquals(List.of(403, 201, 403, 403), statuses(results));
        assertEquals("fiscal_code: not among the service's authorized_recipients (group ApiLimitedMessageWrite)",
                detail(results.get(0)));
        assertEquals("feature_level_type: ADVANCED requires group ApiMessageWriteAdvanced", detail(results.get(2)));
        assertEquals("content.payment_data.payee: requires group ApiMessageWriteWithPayee", detail(results.get(3)));
        assertEquals(1, messages.size());
        assertEquals(CF, messages.get(results.get(1).get("id").textValue()).orElseThrow().fiscalCode());
    }

    @Test
    void moreThan100ItemsIs413AndNothingIsWritten() {
        JsonNode[] items = IntStream.range(0, 101).mapToObj(i -> item(CF)).toArray(JsonNode[]::new);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.batch(batch(items), KEY)
                .header("Idempotency-Key", "too-big").build(), null);
        assertProblem(response, 413, "messages: at most 100 messages per batch, got 101");
        assertEquals("50", response.getHeaders().get("X-RateLimit-Remaining"), "it counted as the largest allowed batch");
        assertNothingWritten();
    }

    @Test
    void exactly100ItemsAreAccepted() {
        JsonNode[] items = IntStream.range(0, 100).mapToObj(i -> item(i % 2 == 0 ? CF : OTHER_CF)).toArray(JsonNode[]::new);
        APIGatewayV2HTTPResponse response = submit(batch(items));
        assertEquals(Collections.nCopies(100, 201), statuses(results(response)));
        assertEquals(100, messages.size());
        assertEquals(100, queue.sent.size());
        assertEquals("50", response.getHeaders().get("X-RateLimit-Remaining"));
    }

    @Test
    void aBatchWithoutMessagesIs400() {
        assertProblem(submit("{\"messages\":[]}"), 400, "messages: must hold at least 1 message");
        assertProblem(submit("{}"), 400, "messages: required, an array of 1 to 100 messages");
        assertProblem(submit("{\"messages\":{\"fiscal_code\":\"" + CF + "\"}}"), 400, "messages: must be an array");
        assertProblem(submit("[" + Json.write(item(CF)) + "]"), 400, "body: expected a JSON object");
        assertNothingWritten();
    }

    @Test
    void aBatchCountsOneRequestPerItemAndOneThatWouldExceedIsRejectedWhole() {
        APIGatewayV2HTTPResponse five = submit(batch(item(CF), item(CF), item(CF), item(CF), item(CF)));
        assertEquals("145", five.getHeaders().get("X-RateLimit-Remaining"));
        JsonNode[] hundred = IntStream.range(0, 100).mapToObj(i -> item(CF)).toArray(JsonNode[]::new);
        assertEquals(200, submit(batch(hundred)).getStatusCode());
        APIGatewayV2HTTPResponse over = submit(batch(hundred));
        assertEquals(429, over.getStatusCode());
        assertEquals("45", over.getHeaders().get("X-RateLimit-Remaining"));
        assertEquals(105, messages.size(), "the rejected batch wrote nothing");
    }

    @Test
    void anItemTheQueueRefusesIsStill201AndStaysAcceptedForTheSweeper() {
        queue.refusePositions.add(1);
        JsonNode results = results(submit(batch(item(CF), item(CF), item(CF))));
        assertEquals(List.of(201, 201, 201), statuses(results));
        String refused = queue.offered.get(1);
        assertEquals(refused, results.get(1).get("id").textValue());
        assertEquals(MessageStatus.ACCEPTED, messages.get(refused).orElseThrow().status());
        assertEquals(2, queue.sent.size());
    }

    @ExpectedErrors("message_not_stored")
    @Test
    void anItemThatCannotBeStoredIs503WithoutAnId() {
        messages.failCreateIf = message -> message.fiscalCode().equals(OTHER_CF);
        JsonNode results = results(submit(batch(item(CF), item(OTHER_CF), item(CF))));
        assertEquals(List.of(201, 503, 201), statuses(results));
        assertFalse(results.get(1).has("id"));
        assertEquals("message: could not be stored; send the request again with the same Idempotency-Key",
                detail(results.get(1)));
        assertEquals(2, messages.size());
        assertEquals(2, queue.sent.size());
    }

    @Test
    void aRetriedBatchWithTheSameKeyIsReplayed() {
        String body = batch(item(CF), item(OTHER_CF));
        APIGatewayV2HTTPResponse first = handler.handleRequest(HttpEvents.batch(body, KEY)
                .header("Idempotency-Key", "batch-1").build(), null);
        APIGatewayV2HTTPResponse retry = handler.handleRequest(HttpEvents.batch(body, KEY)
                .header("Idempotency-Key", "batch-1").build(), null);
        assertEquals(200, retry.getStatusCode());
        assertEquals(first.getBody(), retry.getBody());
        assertEquals("true", retry.getHeaders().get("Idempotent-Replayed"));
        assertEquals(2, messages.size());
    }

    @Test
    void aServiceThatMayNotSendIs403Whole() {
        fixture.services.save(TestServices.service("reader", EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0),
                "reader-key", null);
        assertProblem(submit(batch(item(CF)), "reader-key"), 403,
                "service: requires group ApiMessageWrite or ApiLimitedMessageWrite");
        assertNothingWritten();
    }
}
