package dev.ioserverless.services;

import dev.ioserverless.common.ExpectedErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.LogCapture;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The one pipeline: authentication, rate limit, source address, groups, idempotency, decoration. */
class ServicesApiTest {
    static final String BODY = "{\"hello\":\"world\"}";

    final ApiFixture fixture = new ApiFixture();
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final ServicesApi api = fixture.api(log);
    final List<String> executed = new ArrayList<>();

    /** An operation whose behaviour each test chooses; it records every run. */
    final class TestOperation implements ApiOperation {
        final boolean idempotent;
        final ToIntFunction<ApiRequest> cost;
        final Function<ApiRequest, ApiResponse> behaviour;

        TestOperation(boolean idempotent, ToIntFunction<ApiRequest> cost, Function<ApiRequest, ApiResponse> behaviour) {
            this.idempotent = idempotent;
            this.cost = cost;
            this.behaviour = behaviour;
        }

        @Override
        public String name() {
            return "Test";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageWrite);
        }

        @Override
        public int cost(ApiRequest request) {
            return cost.applyAsInt(request);
        }

        @Override
        public boolean idempotent() {
            return idempotent;
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            executed.add(request.service().serviceId());
            return behaviour.apply(request);
        }
    }

    TestOperation creating() {
        return new TestOperation(true, r -> 1, r -> {
            r.jsonBody();
            String id = "id-" + executed.size();
            return ApiResponse.json(201, Map.of("id", id), Map.of("Location", "/things/" + id));
        });
    }

    static TestRequests post(String key) {
        return TestRequests.request("POST", "/things", "/things").key(key).json(BODY);
    }

    APIGatewayV2HTTPResponse call(TestRequests request, ApiOperation operation) {
        return api.handle(request.build(), operation);
    }

    long counted() {
        return fixture.rateLimiter.count(TestServices.SERVICE_ID, fixture.clock.instant());
    }

    static JsonNode problem(APIGatewayV2HTTPResponse response, int status) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
        JsonNode problem = Json.read(response.getBody());
        assertEquals(status, problem.get("status").intValue());
        return problem;
    }

    void saveService(String id, Set<ServiceGroup> groups, List<String> cidrs, int rateLimit, String key) {
        Service base = TestServices.service(id, groups, Set.of(), cidrs, 0);
        fixture.services.save(new Service(base.serviceId(), base.serviceName(), base.departmentName(),
                base.organizationName(), base.organizationFiscalCode(), base.groups(), base.authorizedRecipients(),
                base.authorizedCidrs(), base.maxAllowedPaymentAmount(), rateLimit), key, null);
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void aMissingOrUnknownKeyIs401AndIsNotCounted() {
        APIGatewayV2HTTPResponse missing = call(post(null), creating());
        assertEquals("Ocp-Apim-Subscription-Key: required", problem(missing, 401).get("detail").textValue());
        APIGatewayV2HTTPResponse unknown = call(post("not-a-key"), creating());
        assertEquals("Ocp-Apim-Subscription-Key: unknown key", problem(unknown, 401).get("detail").textValue());
        assertNull(unknown.getHeaders().get("X-RateLimit-Remaining"), "no rate-limit headers without a valid key");
        assertEquals(0, counted());
        assertTrue(executed.isEmpty());
    }

    @Test
    void thePrimaryAndTheSecondaryKeyBothWork() {
        assertEquals(201, call(post(ApiFixture.KEY), creating()).getStatusCode());
        assertEquals(201, call(post(ApiFixture.SECONDARY_KEY), creating()).getStatusCode());
        assertEquals(List.of(TestServices.SERVICE_ID, TestServices.SERVICE_ID), executed);
        assertEquals(2, counted(), "both keys count against the one service");
    }

    // ---------------------------------------------------------------- rate limit

    @Test
    void overTheLimitIs429WithRetryAfterAndNothingRuns() {
        saveService("small", EnumSet.of(ServiceGroup.ApiMessageWrite), List.of(), 3, "small-key");
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            APIGatewayV2HTTPResponse ok = call(post("small-key"), creating());
            assertEquals(201, ok.getStatusCode());
            assertEquals("3", ok.getHeaders().get("X-RateLimit-Limit"));
            remaining.add(ok.getHeaders().get("X-RateLimit-Remaining"));
        }
        assertEquals(List.of("2", "1", "0"), remaining);

        fixture.clock.set(ApiFixture.START.plusMillis(1_500)); // 10:15:31.623, the window ends at 10:15:35
        APIGatewayV2HTTPResponse limited = call(post("small-key"), creating());
        JsonNode problem = problem(limited, 429);
        assertEquals("Too many requests", problem.get("title").textValue());
        assertTrue(problem.get("detail").textValue().startsWith("service: rate limit of 3 requests per 5 s exceeded"));
        // A sliding window: the three requests of 10:15:30.123 are carried into the next window by
        // the share the sliding window still covers, and one more fits at 10:15:37.623, 6 s on.
        assertEquals("6", limited.getHeaders().get("Retry-After"));
        assertEquals("0", limited.getHeaders().get("X-RateLimit-Remaining"));
        assertEquals("3", limited.getHeaders().get("X-RateLimit-Limit"));
        assertEquals(3, executed.size(), "the limited request did not run");

        fixture.clock.set(ApiFixture.START.plusSeconds(5));
        assertEquals(429, call(post("small-key"), creating()).getStatusCode(),
                "just past the fixed window's end, the last 5 s still hold three requests");
        fixture.clock.set(ApiFixture.START.plusMillis(1_500).plusSeconds(6));
        APIGatewayV2HTTPResponse afterRetry = call(post("small-key"), creating());
        assertEquals(201, afterRetry.getStatusCode());
        assertEquals("0", afterRetry.getHeaders().get("X-RateLimit-Remaining"));
    }

    @Test
    void invalidAndForbiddenRequestsCountButUnauthenticatedOnesDoNot() {
        saveService("walled", EnumSet.of(ServiceGroup.ApiMessageWrite), List.of("192.0.2.0/24"), 150, "walled-key");
        saveService("reader", EnumSet.of(ServiceGroup.ApiMessageRead), List.of(), 150, "reader-key");

        APIGatewayV2HTTPResponse outside = call(post("walled-key").from("198.51.100.7"), creating());
        assertEquals("source IP: not within the service's authorized_cidrs", problem(outside, 403).get("detail").textValue());
        assertEquals("149", outside.getHeaders().get("X-RateLimit-Remaining"), "a request with a valid key is counted");

        APIGatewayV2HTTPResponse noGroup = call(post("reader-key"), creating());
        assertEquals("service: requires group ApiMessageWrite", problem(noGroup, 403).get("detail").textValue());
        assertEquals("149", noGroup.getHeaders().get("X-RateLimit-Remaining"));

        APIGatewayV2HTTPResponse invalid = call(post(ApiFixture.KEY).json("{not json"), creating());
        problem(invalid, 400);
        assertEquals("149", invalid.getHeaders().get("X-RateLimit-Remaining"), "body validation comes after the count");
        assertEquals(1, counted());
        assertEquals(List.of(TestServices.SERVICE_ID), executed, "only the valid-key, allowed request reached the operation");

        assertEquals(201, call(post("walled-key").from("192.0.2.44"), creating()).getStatusCode());
    }

    @Test
    void aRequestCountsItsCostAndOneThatWouldExceedIsRejectedWhole() {
        saveService("batcher", EnumSet.of(ServiceGroup.ApiMessageWrite), List.of(), 10, "batcher-key");
        TestOperation costly = new TestOperation(false, r -> 4, r -> ApiResponse.json(200, Map.of("ok", true)));
        assertEquals("6", call(post("batcher-key"), costly).getHeaders().get("X-RateLimit-Remaining"));
        assertEquals("2", call(post("batcher-key"), costly).getHeaders().get("X-RateLimit-Remaining"));
        APIGatewayV2HTTPResponse over = call(post("batcher-key"), costly);
        problem(over, 429);
        assertEquals("2", over.getHeaders().get("X-RateLimit-Remaining"), "the rejected request was not counted");
        TestOperation single = new TestOperation(false, r -> 1, r -> ApiResponse.json(200, Map.of("ok", true)));
        assertEquals("1", call(post("batcher-key"), single).getHeaders().get("X-RateLimit-Remaining"));
        assertEquals(3, executed.size());
    }

    @Test
    void aRequestCostingMoreThanTheLimitCanNeverPassAndSaysSo() {
        saveService("tiny", EnumSet.of(ServiceGroup.ApiMessageWrite), List.of(), 5, "tiny-key");
        TestOperation huge = new TestOperation(false, r -> 6, r -> ApiResponse.json(200, Map.of()));
        JsonNode problem = problem(call(post("tiny-key"), huge), 429);
        assertTrue(problem.get("detail").textValue().contains("counts for 6 requests, more than the service's rate limit of 5"),
                problem.get("detail").textValue());
        assertTrue(executed.isEmpty());
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void theSameKeyAndBodyReplayTheFirstAnswerWithoutRunningAgain() {
        APIGatewayV2HTTPResponse first = call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), creating());
        fixture.clock.advance(Duration.ofMinutes(5));
        APIGatewayV2HTTPResponse retry = call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), creating());
        assertEquals(201, retry.getStatusCode());
        assertEquals(first.getBody(), retry.getBody());
        assertEquals(first.getHeaders().get("Location"), retry.getHeaders().get("Location"));
        assertEquals("true", retry.getHeaders().get("Idempotent-Replayed"));
        assertNull(first.getHeaders().get("Idempotent-Replayed"));
        assertEquals("149", retry.getHeaders().get("X-RateLimit-Remaining"), "a replay is a request too");
        assertEquals(1, executed.size());
    }

    @Test
    void theSameKeyWithAnotherBodyOrPathIs422() {
        call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), creating());
        JsonNode otherBody = problem(call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1").json("{\"hello\":\"you\"}"),
                creating()), 422);
        assertTrue(otherBody.get("detail").textValue().startsWith("Idempotency-Key: already used"));
        problem(call(TestRequests.request("POST", "/others", "/others").key(ApiFixture.KEY).json(BODY)
                .header("Idempotency-Key", "k-1"), creating()), 422);
        assertEquals(1, executed.size());
    }

    @Test
    void theSameRequestStillInFlightIs409() {
        TestRequests request = post(ApiFixture.KEY).header("Idempotency-Key", "k-1");
        String fingerprint = new ApiRequest(request.build(), TestServices.tari()).fingerprint();
        IdempotencyRecord claim = new IdempotencyPolicy().claim(IdempotencyPolicy.partitionKey(TestServices.SERVICE_ID, "k-1"), fingerprint, "other",
                fixture.clock.instant().minusSeconds(5));
        fixture.idempotency.put(claim);

        APIGatewayV2HTTPResponse conflict = call(request, creating());
        assertTrue(problem(conflict, 409).get("detail").textValue().startsWith("Idempotency-Key: "));
        assertEquals(String.valueOf(IdempotencyPolicy.DEFAULT_LEASE.toSeconds() - 5), conflict.getHeaders().get("Retry-After"));
        assertEquals("149", conflict.getHeaders().get("X-RateLimit-Remaining"));
        assertTrue(executed.isEmpty());

        fixture.clock.advance(IdempotencyPolicy.DEFAULT_LEASE.minusSeconds(4));
        assertEquals(201, call(request, creating()).getStatusCode(), "the crashed request's lease ran out");
        assertEquals(1, executed.size());
    }

    @ExpectedErrors("request_failed")
    @Test
    void rejectedOrFailedRequestsLeaveNoRecord() {
        TestOperation rejecting = new TestOperation(true, r -> 1, r -> {
            throw new ProblemException(Problem.badRequest("content.subject: required"));
        });
        problem(call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), rejecting), 400);
        assertEquals(0, fixture.idempotency.size());

        TestOperation failing = new TestOperation(true, r -> 1, r -> {
            throw new IllegalStateException("table unavailable");
        });
        APIGatewayV2HTTPResponse failed = call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), failing);
        assertEquals("request: could not be completed; retry later", problem(failed, 500).get("detail").textValue());
        assertEquals("148", failed.getHeaders().get("X-RateLimit-Remaining"));
        assertEquals(0, fixture.idempotency.size());

        assertEquals(201, call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), creating()).getStatusCode());
        assertEquals(1, fixture.idempotency.size());
    }

    @Test
    void anInvalidKeyIs400BeforeTheOperationRuns() {
        JsonNode problem = problem(call(post(ApiFixture.KEY).header("Idempotency-Key", "x".repeat(256)), creating()), 400);
        assertEquals("Idempotency-Key: must be at most 255 characters", problem.get("detail").textValue());
        problem(call(post(ApiFixture.KEY).header("Idempotency-Key", ""), creating()), 400);
        assertTrue(executed.isEmpty());
        assertEquals(0, fixture.idempotency.size());
    }

    @Test
    void operationsThatAreNotIdempotentIgnoreTheHeader() {
        TestOperation reading = new TestOperation(false, r -> 1, r -> ApiResponse.json(200, Map.of("n", executed.size())));
        call(post(ApiFixture.KEY).header("Idempotency-Key", "x".repeat(300)), reading);
        call(post(ApiFixture.KEY).header("Idempotency-Key", "x".repeat(300)), reading);
        assertEquals(2, executed.size());
        assertTrue(fixture.idempotency.calls.isEmpty());
    }

    @ExpectedErrors("idempotency_finish_failed")
    @Test
    void theWorkIsAnsweredEvenIfItsResponseCannotBeStored() {
        TestOperation breakingTheStore = new TestOperation(true, r -> 1, r -> {
            fixture.idempotency.failWith = new IllegalStateException("table unavailable");
            return ApiResponse.json(201, Map.of("id", "x"));
        });
        assertEquals(201, call(post(ApiFixture.KEY).header("Idempotency-Key", "k-1"), breakingTheStore).getStatusCode());
    }

    @Test
    void aPassingFaultWhileStoringTheResponseIsRetriedSoARetryReplaysIt() {
        TestOperation faulting = new TestOperation(true, r -> 1, r -> {
            fixture.idempotency.transientFailures = 1;
            return ApiResponse.json(201, Map.of("id", "x"));
        });
        assertEquals(201, call(post(ApiFixture.KEY).header("Idempotency-Key", "k-2"), faulting).getStatusCode());
        fixture.idempotency.transientFailures = 0;
        APIGatewayV2HTTPResponse retry = call(post(ApiFixture.KEY).header("Idempotency-Key", "k-2"), creating());
        assertEquals(201, retry.getStatusCode());
        assertEquals("true", retry.getHeaders().get("Idempotent-Replayed"), "stored on the second attempt");
        assertEquals(1, executed.size(), "the work ran once");
    }

    @Test
    void anIdempotentOperationNeedsAStore() {
        ServicesApi readOnly = fixture.readOnlyApi(log);
        assertThrows(IllegalStateException.class, () -> readOnly.handle(post(ApiFixture.KEY).build(), creating()));
    }

    @Test
    void logsCarryNeitherKeysNorIdempotencyKeys() {
        String text;
        try (LogCapture logs = new LogCapture()) {
            call(post(ApiFixture.KEY).header("Idempotency-Key", "secret-order-key"), creating());
            call(post(ApiFixture.KEY).header("Idempotency-Key", "secret-order-key"), creating());
            call(post(ApiFixture.KEY).header("Idempotency-Key", "secret-order-key").json("{}"), creating());
            call(post("wrong-api-key"), creating());
            text = logs.text();
        }
        assertFalse(text.contains(ApiFixture.KEY), text);
        assertFalse(text.contains("wrong-api-key"), text);
        assertFalse(text.contains("secret-order-key"), text);
        assertTrue(text.contains("\"event\":\"request_replayed\""), text);
        assertTrue(text.contains("\"idempotency_key_ref\""), text);
        // The reference is keyed: a plain hash of a guessable key could be found by trying keys.
        String plain = dev.ioserverless.common.Hashing.sha256Hex("secret-order-key").substring(0, 16);
        assertFalse(text.contains(plain), text);
        assertTrue(text.contains("\"idempotency_key_ref\":\"" + log.ref("secret-order-key") + "\""), text);
    }

    /** A Lambda context with this much time left. */
    static com.amazonaws.services.lambda.runtime.Context timeLeft(int millis) {
        return (com.amazonaws.services.lambda.runtime.Context) java.lang.reflect.Proxy.newProxyInstance(
                ServicesApiTest.class.getClassLoader(),
                new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? millis : null);
    }

    @dev.ioserverless.common.ExpectedErrors("request_deadline_reached")
    @org.junit.jupiter.api.Test
    void aRequestThatWouldOutliveTheFunctionIsA503WithRetryAfterAndItsWorkGoesOn() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        TestOperation slow = new TestOperation(false, r -> 1, r -> {
            try {
                release.await();   // a dependency that does not answer in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
            return ApiResponse.json(201, Map.of("id", "late"));
        });
        // 1 ms of budget past the margin: the deadline comes before the dependency answers.
        APIGatewayV2HTTPResponse response = api.handle(post(ApiFixture.KEY).build(), slow,
                timeLeft((int) ServicesApi.DEADLINE_MARGIN_MILLIS + 1));
        problem(response, 503);
        assertEquals(String.valueOf(ServicesApi.DEADLINE_RETRY_AFTER_SECONDS), response.getHeaders().get("Retry-After"));
        release.countDown();
        assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS), "the work went on");
    }

    @org.junit.jupiter.api.Test
    void withTimeToSpareTheAnswerIsTheOperations() {
        APIGatewayV2HTTPResponse response = api.handle(post(ApiFixture.KEY).build(), creating(), timeLeft(20_000));
        assertEquals(201, response.getStatusCode());
    }
}
