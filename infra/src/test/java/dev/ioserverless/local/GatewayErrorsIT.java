package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The local gateway's own errors, sent raw over a socket: an unknown route, a known path under a
 * method it does not serve, and a body over API Gateway's 10 MiB are problem+json naming what is
 * wrong, as every error of the platform is.
 */
class GatewayErrorsIT {
    private static URI base() {
        return TestPlatform.get().apiBaseUrl();
    }

    private static JsonNode assertProblem(RawHttp.Response response, int status, String... detailMentions) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"), response.body());
        JsonNode problem = Json.read(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertTrue(problem.path("type").asText().startsWith("urn:io-serverless:problem:"), response.body());
        for (String mention : detailMentions) {
            assertTrue(problem.path("detail").asText().contains(mention), "detail should name " + mention + ": " + response.body());
        }
        return problem;
    }

    @Test
    void anUnknownRouteIsA404ProblemNamingThePath() {
        assertProblem(RawHttp.exchange(base(), "GET", "/api/v1/no-such-route"), 404, "/api/v1/no-such-route");
        assertProblem(RawHttp.exchange(base(), "GET", "/_local/no-such-route"), 404, "/_local/no-such-route");
    }

    @Test
    void aKnownPathUnderAnotherMethodIsA405ProblemNamingTheMethod() {
        RawHttp.Response response = RawHttp.exchange(base(), "PATCH", "/api/v1/messages/" + FiscalCodes.random());
        assertProblem(response, 405, "PATCH");
        assertTrue(response.header("Allow").contains("POST"), "Allow names the methods served: " + response.headers());
    }

    @Test
    void aBodyOverTenMibIsA413ProblemWithoutWaitingForIt() {
        RawHttp.Response response = RawHttp.exchange(base(), "POST", "/api/v1/messages/" + FiscalCodes.random(),
                "Content-Type: application/json", "Content-Length: " + (10 * 1024 * 1024 + 1));
        assertProblem(response, 413, "body", "10485760");
    }

    /**
     * A request line the JDK's URI parser rejects is answered by the JDK's HTTP server before any
     * handler of ours runs: a text/html 400 that the gateway cannot intercept (README, "The local
     * platform", says so). This pins the difference down, so that a JDK that lets us see it fails here.
     */
    @Test
    void aPathTheJdkCannotParseIsRefusedByTheJdkItself() {
        RawHttp.Response response = RawHttp.exchange(base(), "GET", "/api/v2/messages/X/<id>");
        assertEquals(400, response.status());
        assertEquals("text/html", response.header("Content-Type"), "the JDK's own page; if this fails, make it problem+json");
    }
}
