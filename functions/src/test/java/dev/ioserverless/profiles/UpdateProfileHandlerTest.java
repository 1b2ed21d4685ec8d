package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.SampleEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the welcome is sent: at the first acceptance of the terms, and again when that update is retried. */
class UpdateProfileHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final List<Long> welcomedAtVersion = new ArrayList<>();
    RuntimeException welcomeFailure;
    final UpdateProfileHandler handler = new UpdateProfileHandler(new CitizenApi("fiscal_code", new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")))),
            profiles, Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC), profile -> {
                welcomedAtVersion.add(profile.version());
                if (welcomeFailure != null) {
                    RuntimeException failure = welcomeFailure;
                    welcomeFailure = null;
                    throw failure;
                }
            }, new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars"))));

    int post(String body) {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("UpdateProfileFunction"), APIGatewayV2HTTPEvent.class);
        event.setBody(body);
        return handler.handleRequest(event, null).getStatusCode();
    }

    @Test
    void theFirstAcceptanceWelcomesAndLaterUpdatesDoNot() {
        assertEquals(200, post("{\"version\":0}"));
        assertEquals(List.of(), welcomedAtVersion, "no terms accepted yet");
        assertEquals(200, post("{\"version\":1,\"accepted_tos_version\":4,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}"));
        assertEquals(List.of(2L), welcomedAtVersion);
        assertEquals(200, post("{\"version\":2,\"accepted_tos_version\":5,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}"));
        assertEquals(409, post("{\"version\":1,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}"), "stale, and no acceptance");
        assertEquals(List.of(2L), welcomedAtVersion);
    }

    @Test
    @ExpectedErrors("request_failed")
    void aWelcomeThatFailedIsFinishedWhenTheAppRetriesTheSameUpdate() {
        String acceptance = "{\"version\":0,\"accepted_tos_version\":4}";
        welcomeFailure = new IllegalStateException("queue unavailable");
        assertEquals(500, post(acceptance), "the profile is written, the welcome is not: the app retries");
        assertEquals(1, profiles.find(CF).orElseThrow().version());
        assertEquals(409, post(acceptance), "the retry is stale");
        assertEquals(List.of(1L, 1L), welcomedAtVersion, "and it finished the welcome for the stored profile");
    }
}
