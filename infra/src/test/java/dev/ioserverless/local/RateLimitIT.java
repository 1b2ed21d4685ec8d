package dev.ioserverless.local;

import static dev.ioserverless.local.AuthorizationIT.assertProblem;
import static dev.ioserverless.local.TestData.newMessage;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.Config;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.SubmitMessageHandler;
import dev.ioserverless.services.RateLimitPolicy;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-service rate limit: 429 with Retry-After, X-RateLimit-Remaining, shared across instances. */
class RateLimitIT {

    @Test
    void overTheLimitIs429WithRetryAfterAndEveryResponseCountsDown() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 3);
        String citizen = TestData.citizen();
        startOfAWindow();
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> ok = post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage());
            assertEquals(201, ok.statusCode(), ok.body());
            assertEquals(String.valueOf(remaining), ok.headers().firstValue("X-RateLimit-Remaining").orElse(null));
        }
        HttpResponse<String> limited = post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage());
        assertProblem(limited, 429, "");
        assertEquals("0", limited.headers().firstValue("X-RateLimit-Remaining").orElse(null));
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow(),
                "time is held at the window's start: the three requests count for the next 5 s, and one more fits"
                        + " once the sliding window has left 1 of them behind, 7 s on");
        assertEquals(3, TestData.messagesFor(citizen), "the limited request wrote nothing");
    }

    @Test
    void twiceTheLimitAcrossAWindowBoundaryAdmitsTheLimitOnce() {
        int limit = 10;
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, limit);
        String citizen = TestData.citizen();
        TestClock clock = TestPlatform.clock();
        long window = RateLimitPolicy.WINDOW_SECONDS;
        Instant boundary = Instant.ofEpochSecond((clock.now().getEpochSecond() / window + 2) * window);
        int accepted = 0;
        clock.hold(boundary.minusMillis(50));
        for (int i = 0; i < limit; i++) {
            accepted += post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).statusCode() == 201 ? 1 : 0;
        }
        clock.hold(boundary.plusMillis(50));
        for (int i = 0; i < limit; i++) {
            accepted += post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).statusCode() == 201 ? 1 : 0;
        }
        // A fixed window would admit 2 x limit here: a full quota each side of the boundary.
        assertEquals(limit, accepted, "within any 5 s, at most the limit");
        assertEquals(limit, TestData.messagesFor(citizen));
    }

    @Test
    void invalidRequestsCountToo() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 2);
        String citizen = TestData.citizen();
        startOfAWindow();
        assertEquals(400, post(service.primaryKey(), "/api/v1/messages/" + citizen, "{}").statusCode());
        assertEquals(400, post(service.primaryKey(), "/api/v1/messages/" + citizen, "{}").statusCode());
        assertEquals(429, post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).statusCode());
    }

    @Test
    void theLimitHoldsAcrossTwoHandlerInstances() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 4);
        String citizen = TestData.citizen();
        Config config = TestPlatform.get().functionConfig("SubmitMessageFunction");
        // two containers of the same function: separate objects, separate memory, one counter in DynamoDB
        SubmitMessageHandler first = new SubmitMessageHandler(config);
        SubmitMessageHandler second = new SubmitMessageHandler(config);
        startOfAWindow();
        int[] statuses = new int[6];
        for (int i = 0; i < statuses.length; i++) {
            SubmitMessageHandler instance = i % 2 == 0 ? first : second;
            APIGatewayV2HTTPResponse response = instance.handleRequest(event(service.primaryKey(), citizen), null);
            statuses[i] = response.getStatusCode();
        }
        assertEquals(List.of(201, 201, 201, 201, 429, 429), java.util.Arrays.stream(statuses).boxed().toList());
        assertEquals(4, TestData.messagesFor(citizen));
    }

    private static APIGatewayV2HTTPEvent event(String key, String fiscalCode) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /api/v1/messages/{fiscal_code}")
                .withRawPath("/api/v1/messages/" + fiscalCode)
                .withHeaders(Map.of("content-type", "application/json", "ocp-apim-subscription-key", key))
                .withPathParameters(Map.of("fiscal_code", fiscalCode))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(java.util.UUID.randomUUID().toString())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath("/api/v1/messages/" + fiscalCode).withSourceIp("127.0.0.1").build())
                        .build())
                .withBody(newMessage())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * Holds the platform's clock at the start of the next rate-limit window, so every request of
     * the test counts in one window, however slow the machine.
     */
    private static void startOfAWindow() {
        TestClock clock = TestPlatform.clock();
        long window = RateLimitPolicy.WINDOW_SECONDS;
        clock.hold(Instant.ofEpochSecond((clock.now().getEpochSecond() / window + 1) * window));
    }

    @AfterEach
    void letTimeRun() {
        TestPlatform.clock().release();
    }
}
