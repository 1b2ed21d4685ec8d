package dev.ioserverless.local.ses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.runtime.HttpGateway.LocalResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outbox routes without an SES of the platform's (an external endpoint serves SES), and their bad input. */
class OutboxRoutesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-31T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void withSesServedElsewhereEveryRouteAnswers404SayingSo() throws Exception {
        OutboxRoutes routes = new OutboxRoutes(null, null, CLOCK);
        for (String[] request : new String[][] {{"GET", "emails"}, {"GET", "emails/abc"}, {"POST", "emails/abc/bounce"},
                {"POST", "emails/throttle"}}) {
            LocalResponse response = routes.handle(request[0], request[1], Map.of(), new byte[0]);
            assertEquals(404, response.status());
            assertEquals("application/problem+json", response.contentType());
            JsonNode problem = Json.MAPPER.readTree(response.body());
            assertEquals(404, problem.path("status").asInt());
            assertTrue(problem.path("detail").asText().contains("external endpoint"), problem.toString());
        }
    }

    @Test
    void anUnknownRouteOrABadCountIsRefused() throws Exception {
        SesEmulator ses = new SesEmulator("eu-south-1", "000000000000", CLOCK);
        OutboxRoutes routes = new OutboxRoutes(ses, null, CLOCK);
        assertEquals(404, routes.handle("DELETE", "emails/abc", Map.of(), new byte[0]).status());
        assertEquals(404, routes.handle("POST", "emails/abc/delivery", Map.of(), new byte[0]).status());
        assertEquals(400, routes.handle("POST", "emails/throttle", Map.of("count", "-1"), new byte[0]).status());
        assertEquals(200, routes.handle("POST", "emails/throttle", Map.of("count", "0"), new byte[0]).status());
        assertEquals("{\"emails\":[]}", routes.handle("GET", "emails", Map.of(), new byte[0]).body());
    }
}
