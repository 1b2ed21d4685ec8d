package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GetUserProfileHandlerTest {
    static final String CF = "RSSMRA80A01H501U";
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final GetUserProfileHandler handler = new GetUserProfileHandler(new CitizenApi("fiscal_code", log), profiles);

    APIGatewayV2HTTPEvent sample() {
        return LambdaEvents.read(SampleEvents.load("GetUserProfileFunction"), APIGatewayV2HTTPEvent.class);
    }

    @Test
    void theSampleEventReadsTheStoredProfileAsIosInitializedProfile() {
        Instant now = Instant.parse("2026-01-10T08:00:00Z");
        profiles.save(new Profile(CF, true, 4, List.of("it_IT", "en_GB"), ServicePreferencesMode.MANUAL, 2, Map.of(),
                now, now, 7, false, true, "DISABLED", "ANONYMOUS"));
        APIGatewayV2HTTPResponse response = handler.handleRequest(sample(), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(Json.read("""
                {"fiscal_code":"RSSMRA80A01H501U","name":"Mario","family_name":"Rossi","has_profile":true,
                 "is_inbox_enabled":true,"is_email_validated":false,"is_email_enabled":true,"is_email_already_taken":false,"is_webhook_enabled":false,"accepted_tos_version":4,
                 "preferred_languages":["it_IT","en_GB"],"reminder_status":"DISABLED","push_notifications_content_type":"ANONYMOUS","service_preferences_settings":{"mode":"MANUAL"},"version":7}
                """), Json.read(response.getBody()));
    }

    @Test
    void withoutAStoredProfileTheAnswerIsHasProfileFalseVersionZero() {
        JsonNode body = Json.read(handler.handleRequest(sample(), null).getBody());
        assertEquals(false, body.path("has_profile").asBoolean());
        assertEquals(0, body.path("version").asInt());
        assertEquals("AUTO", body.path("service_preferences_settings").path("mode").asText());
    }

    @Test
    void theFiscalCodeComesOnlyFromTheConfiguredClaim() {
        GetUserProfileHandler otherClaim = new GetUserProfileHandler(new CitizenApi("https://idp.example.org/fiscal_number", log), profiles);
        APIGatewayV2HTTPResponse response = otherClaim.handleRequest(sample(), null);
        assertEquals(401, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
    }

    @Test
    void aRequestWithoutAuthorizerClaimsIs401() {
        APIGatewayV2HTTPEvent event = sample();
        event.getRequestContext().setAuthorizer(null);
        assertEquals(401, handler.handleRequest(event, null).getStatusCode());
    }

    @Test
    @ExpectedErrors("request_failed")
    void aStoreFailureIsA500ThatRevealsNothing() {
        GetUserProfileHandler broken = new GetUserProfileHandler(new CitizenApi("fiscal_code", log), new ProfileStore() {
            @Override
            public Optional<Profile> find(String fiscalCode) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public void save(Profile profile) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public void replace(Profile profile, long expectedVersion, boolean exists) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public boolean markEmailValidated(String fiscalCode, String email, Instant now) {
                throw new IllegalStateException("table unavailable");
            }
        });
        APIGatewayV2HTTPResponse response = broken.handleRequest(sample(), null);
        assertEquals(500, response.getStatusCode());
        assertEquals(false, response.getBody().contains("table unavailable"));
    }
}
