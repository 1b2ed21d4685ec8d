package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.auth.LocalJwt;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.profiles.ServicePreferencesMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The citizen API as the app reaches it: its own base URL, a bearer token checked as API
 * Gateway's JWT authorizer checks it before any function runs, and each citizen's own data only.
 */
class CitizenApiIT {
    private static final String ISSUER = "io-local-identity-provider";
    private static final String AUDIENCE = "io-local-app";
    private static final OpenApiContract SPEC = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));

    /** GET /profile, its answer checked against openapi-citizen.yaml whatever its status. */
    static HttpResponse<String> getProfile(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl() + "/profile")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = TestPlatform.send(request);
        SPEC.assertConforms(response);
        return response;
    }

    static String token(String fiscalCode) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/citizen-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fiscal_code\":\"" + fiscalCode
                        + "\",\"name\":\"Giulia\",\"family_name\":\"Bianchi\",\"ttl_seconds\":600}")));
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body()).path("token").asText();
    }

    /** The gateway's own 401, which API Gateway answers without invoking the function. */
    private static void assertRefusedByTheAuthorizer(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("{\"message\":\"Unauthorized\"}", response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void demoJsonNamesTheCitizenApiOnItsOwnPort() {
        String base = TestPlatform.demoJson().path("citizen_api_base_url").asText();
        assertTrue(base.endsWith("/api/v1"), base);
        assertEquals(TestPlatform.get().citizenApiBaseUrl().toString(), base);
        assertFalse(base.startsWith(TestPlatform.get().apiBaseUrl().toString() + "/"), "a URL of its own: " + base);
        // the Services API's routes are not on the citizen API, nor the other way round
        assertEquals(404, TestPlatform.send(HttpRequest.newBuilder(URI.create(TestPlatform.get().apiBaseUrl() + "/api/v1/profile"))
                .GET()).statusCode());
    }

    @Test
    void theSignedInCitizenReadsTheirProfile() {
        JsonNode demo = TestPlatform.demoJson();
        String citizen = demo.path("citizen_fiscal_code").asText();
        HttpResponse<String> response = getProfile("Bearer " + token(citizen));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode profile = Json.read(response.body());
        assertEquals(citizen, profile.path("fiscal_code").asText());
        assertEquals("Giulia", profile.path("name").asText(), "name from the token's claims");
        assertEquals("Bianchi", profile.path("family_name").asText());
        assertTrue(profile.path("has_profile").asBoolean());
        assertTrue(profile.path("is_inbox_enabled").asBoolean());
        assertTrue(profile.path("is_webhook_enabled").asBoolean());
        assertEquals("AUTO", profile.path("service_preferences_settings").path("mode").asText());
        assertEquals(4, profile.path("accepted_tos_version").asInt());
    }

    @Test
    void aCitizenWithoutAProfileReadsHasProfileFalseAndVersionZero() {
        String citizen = FiscalCodes.random();
        JsonNode profile = Json.read(getProfile("Bearer " + token(citizen)).body());
        assertEquals(citizen, profile.path("fiscal_code").asText());
        assertFalse(profile.path("has_profile").asBoolean());
        assertEquals(0, profile.path("version").asInt());
        assertEquals("AUTO", profile.path("service_preferences_settings").path("mode").asText());
    }

    @Test
    void aCitizenOnlyEverReadsTheirOwnProfile() {
        String owner = TestData.citizen();
        TestData.profile(owner, true, ServicePreferencesMode.MANUAL, Map.of());
        String other = FiscalCodes.random();
        JsonNode seen = Json.read(getProfile("Bearer " + token(other)).body());
        assertEquals(other, seen.path("fiscal_code").asText());
        assertFalse(seen.path("has_profile").asBoolean(), "the other citizen's profile is not reachable: " + seen);
        JsonNode own = Json.read(getProfile("Bearer " + token(owner)).body());
        assertTrue(own.path("has_profile").asBoolean());
        assertEquals("MANUAL", own.path("service_preferences_settings").path("mode").asText());
    }

    @Test
    void missingMalformedForgedExpiredEarlyOrMisaddressedTokensAre401WithoutInvokingTheFunction() {
        String citizen = TestData.citizen();
        LocalJwt platformKey = TestPlatform.get().citizenTokenIssuer();
        Map<String, String> claims = Map.of("fiscal_code", citizen, "name", "Mario", "family_name", "Rossi");
        long now = TestPlatform.clock().now().getEpochSecond();   // the authorizer tells time by the platform's clock

        assertRefusedByTheAuthorizer(getProfile(null));
        assertRefusedByTheAuthorizer(getProfile("Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes())));
        assertRefusedByTheAuthorizer(getProfile("Bearer not-a-jwt"));
        assertRefusedByTheAuthorizer(getProfile("Bearer " + new LocalJwt(Clock.systemUTC()).issue(ISSUER, AUDIENCE, claims, 600)));
        assertRefusedByTheAuthorizer(getProfile("Bearer " + platformKey.issue(ISSUER, AUDIENCE, claims, -60)));
        assertRefusedByTheAuthorizer(getProfile("Bearer " + platformKey.issue(ISSUER, AUDIENCE,
                Map.of("fiscal_code", citizen, "nbf", String.valueOf(now + 3600)), 7200)));
        assertRefusedByTheAuthorizer(getProfile("Bearer " + platformKey.issue(ISSUER, "another-app", claims, 600)));
        assertRefusedByTheAuthorizer(getProfile("Bearer " + platformKey.issue("another-issuer", AUDIENCE, claims, 600)));
        String valid = platformKey.issue(ISSUER, AUDIENCE, claims, 600);
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"exp\":" + (now + 600)
                        + ",\"fiscal_code\":\"" + TestData.citizen() + "\"}").getBytes()) + "." + parts[2];
        assertRefusedByTheAuthorizer(getProfile("Bearer " + tampered));

        assertEquals(200, getProfile("Bearer " + valid).statusCode(), "the same claims, properly signed, pass");
    }

    @Test
    void aValidTokenWithoutAFiscalCodeIsTheFunctions401() {
        String token = TestPlatform.get().citizenTokenIssuer().issue(ISSUER, AUDIENCE, Map.of("sub", "someone"), 600);
        HttpResponse<String> response = getProfile("Bearer " + token);
        AuthorizationIT.assertProblem(response, 401, "fiscal_code");
    }

    @Test
    void theTokenRouteChecksItsInput() {
        for (String body : new String[] {"", "[]", "{}", "{\"fiscal_code\":\"rssmra80a01h501u\"}",
                "{\"fiscal_code\":\"RSSMRA80A01H501U\",\"ttl_seconds\":0}",
                "{\"fiscal_code\":\"RSSMRA80A01H501U\",\"ttl_seconds\":\"60\"}",
                "{\"fiscal_code\":\"RSSMRA80A01H501U\",\"name\":7}"}) {
            HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/citizen-token"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        }
    }

    // ------------------------------------------------------------------ POST /profile

    static HttpResponse<String> postProfile(String token, String body) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                        URI.create(TestPlatform.get().citizenApiBaseUrl() + "/profile"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        SPEC.assertConforms(response);
        return response;
    }

    @Test
    void aProfileIsCreatedThenUpdatedVersionByVersionAndAStaleVersionChangesNothing() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        HttpResponse<String> created = postProfile(token, "{\"version\":0,\"is_inbox_enabled\":true}");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode first = Json.read(created.body());
        assertEquals(1, first.path("version").asInt());
        assertEquals("AUTO", first.path("service_preferences_settings").path("mode").asText(), "new profiles start in AUTO");
        assertFalse(first.path("is_inbox_enabled").asBoolean(), "the inbox stays off until the terms are accepted");

        JsonNode accepted = Json.read(postProfile(token, "{\"version\":1,\"accepted_tos_version\":4,"
                + "\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"reminder_status\":\"DISABLED\","
                + "\"push_notifications_content_type\":\"ANONYMOUS\"}").body());
        assertEquals(2, accepted.path("version").asInt());
        assertTrue(accepted.path("is_inbox_enabled").asBoolean(), "the first acceptance turns the inbox on");
        assertTrue(accepted.path("is_webhook_enabled").asBoolean());
        assertEquals("DISABLED", accepted.path("reminder_status").asText());
        assertEquals("ANONYMOUS", accepted.path("push_notifications_content_type").asText());

        HttpResponse<String> stale = postProfile(token, "{\"version\":1,\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}");
        AuthorizationIT.assertProblem(stale, 409, "version");
        JsonNode after = Json.read(getProfile("Bearer " + token).body());
        assertEquals(accepted, after, "a stale update writes nothing");
        assertEquals(409, postProfile(token, "{\"version\":0}").statusCode(), "a second create is stale too");
    }

    @Test
    void legacyCannotBeChosenAndAnAutoProfileMustSendItsMode() {
        String token = token(FiscalCodes.random());
        AuthorizationIT.assertProblem(postProfile(token, "{\"version\":0,\"service_preferences_settings\":{\"mode\":\"LEGACY\"}}"),
                409, "LEGACY");
        assertEquals(200, postProfile(token, "{\"version\":0}").statusCode());
        AuthorizationIT.assertProblem(postProfile(token, "{\"version\":1,\"accepted_tos_version\":4}"),
                409, "service_preferences_settings");
        assertEquals(1, Json.read(getProfile("Bearer " + token).body()).path("version").asInt(), "nothing written");
    }

    @Test
    void badInputIs4xxNamingTheFieldAndWritesNothing() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        AuthorizationIT.assertProblem(postProfile(token, "{\"version\":0,\"is_inbox_enabled\":\"yes\",\"preferred_languages\":[\"xx\"]}"),
                400, "is_inbox_enabled");
        AuthorizationIT.assertProblem(postProfile(token, "{}"), 400, "version");
        AuthorizationIT.assertProblem(postProfile(token, "[1]"), 400, "body");
        HttpResponse<String> notJson = TestPlatform.send(HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl() + "/profile"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("version=0")));
        assertEquals(415, notJson.statusCode(), notJson.body());
        assertFalse(Json.read(getProfile("Bearer " + token).body()).path("has_profile").asBoolean());
    }

    /** The citizen's mode, as the citizen sets it, decides what the sender is told and whether messages arrive. */
    @Test
    void theModeTheCitizenChoosesDecidesSenderAllowedAndDelivery() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        String key = TestPlatform.demoJson().path("api_key").asText();
        assertEquals(200, postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,"
                + "\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}").statusCode());
        assertEquals(false, senderAllowed(key, citizen), "MANUAL blocks every service the citizen did not turn on");
        assertEquals("SERVICE_NOT_ALLOWED", finalStatus(key, citizen, "REJECTED").path("rejection_reason").asText());

        assertEquals(200, postProfile(token, "{\"version\":1,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}").statusCode());
        assertEquals(true, senderAllowed(key, citizen), "AUTO lets every service write");
        finalStatus(key, citizen, "PROCESSED");
    }

    private static boolean senderAllowed(String key, String citizen) {
        HttpResponse<String> response = TestData.get(key, "/api/v1/profiles/" + citizen);
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body()).path("sender_allowed").asBoolean();
    }

    private static JsonNode finalStatus(String key, String citizen, String expected) {
        String id = Json.read(TestData.post(key, "/api/v1/messages/" + citizen, TestData.newMessage()).body()).path("id").asText();
        JsonNode[] detail = new JsonNode[1];
        TestPlatform.await(() -> {
            detail[0] = Json.read(TestData.get(key, "/api/v2/messages/" + citizen + "/" + id).body());
            return expected.equals(detail[0].path("status").asText());
        }, java.time.Duration.ofSeconds(10), id + " " + expected);
        return detail[0];
    }

    // ------------------------------------------------------------------ service preferences

    static HttpResponse<String> preference(String token, String serviceId, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl()
                + "/services/" + serviceId + "/preferences")).header("Authorization", "Bearer " + token);
        request = body == null ? request.GET()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = TestPlatform.send(request);
        SPEC.assertConforms(response);
        return response;
    }

    static String choice(boolean inbox, int settingsVersion) {
        return "{\"is_inbox_enabled\":" + inbox + ",\"is_email_enabled\":" + inbox + ",\"is_webhook_enabled\":" + inbox
                + ",\"settings_version\":" + settingsVersion + "}";
    }

    /** The README's walkthrough: opt out of the demo service, and the sender is told and its next message rejected. */
    @Test
    void optingOutOfAServiceTellsTheSenderAndRejectsItsNextMessage() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        String key = TestPlatform.demoJson().path("api_key").asText();
        String service = TestPlatform.demoJson().path("service_id").asText();
        postProfile(token, "{\"version\":0,\"accepted_tos_version\":4}");
        JsonNode before = Json.read(preference(token, service, null).body());
        assertTrue(before.path("is_inbox_enabled").asBoolean(), "AUTO allows a service the citizen never chose about");
        assertEquals(0, before.path("settings_version").asInt());
        assertTrue(senderAllowed(key, citizen));

        HttpResponse<String> optOut = preference(token, service, choice(false, 0));
        assertEquals(200, optOut.statusCode(), optOut.body());
        assertFalse(Json.read(preference(token, service, null).body()).path("is_inbox_enabled").asBoolean());
        assertFalse(senderAllowed(key, citizen));
        assertEquals("SERVICE_NOT_ALLOWED", finalStatus(key, citizen, "REJECTED").path("rejection_reason").asText());
    }

    @Test
    void aModeChangeVoidsEarlierPreferencesAndTheirSettingsVersion() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        String key = TestPlatform.demoJson().path("api_key").asText();
        String service = TestPlatform.demoJson().path("service_id").asText();
        postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}");
        assertEquals(200, preference(token, service, choice(true, 0)).statusCode());
        assertTrue(senderAllowed(key, citizen), "MANUAL, and the citizen turned this service on");

        postProfile(token, "{\"version\":1,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}");
        postProfile(token, "{\"version\":2,\"service_preferences_settings\":{\"mode\":\"MANUAL\"}}");
        JsonNode now = Json.read(preference(token, service, null).body());
        assertEquals(2, now.path("settings_version").asInt());
        assertFalse(now.path("is_inbox_enabled").asBoolean(), "the choice made under version 0 no longer counts");
        assertFalse(senderAllowed(key, citizen));
        AuthorizationIT.assertProblem(preference(token, service, choice(true, 0)), 409, "settings_version");
        assertFalse(Json.read(preference(token, service, null).body()).path("is_inbox_enabled").asBoolean(), "nothing written");
    }

    @Test
    void preferencesNeedAProfileAKnownServiceAndANonLegacyMode() {
        String service = TestPlatform.demoJson().path("service_id").asText();
        String nobody = token(FiscalCodes.random());
        AuthorizationIT.assertProblem(preference(nobody, service, null), 404, "profile");

        String legacyCitizen = FiscalCodes.random();
        TestData.profile(legacyCitizen, true, ServicePreferencesMode.LEGACY, Map.of());
        String legacy = token(legacyCitizen);
        AuthorizationIT.assertProblem(preference(legacy, service, null), 409, "LEGACY");
        AuthorizationIT.assertProblem(preference(legacy, service, choice(false, 0)), 409, "LEGACY");

        String citizen = token(TestData.citizen());
        AuthorizationIT.assertProblem(preference(citizen, "no-such-service", null), 404, "service_id");
        AuthorizationIT.assertProblem(preference(citizen, service, "{\"is_inbox_enabled\":\"no\"}"), 400, "is_inbox_enabled");
    }

    @Test
    void aCitizensChoiceIsTheirsAlone() {
        String service = TestPlatform.demoJson().path("service_id").asText();
        String one = token(FiscalCodes.random());
        String other = token(FiscalCodes.random());
        postProfile(one, "{\"version\":0,\"accepted_tos_version\":4}");
        postProfile(other, "{\"version\":0,\"accepted_tos_version\":4}");
        assertEquals(200, preference(one, service, choice(false, 0)).statusCode());
        assertTrue(Json.read(preference(other, service, null).body()).path("is_inbox_enabled").asBoolean(),
                "one citizen's opt-out is not another's");
    }

    // ------------------------------------------------------------------ welcome messages

    @Test
    void theFirstAcceptanceOfTheTermsBringsTwoWelcomeMessagesOnceEvenWhenTheUpdateIsRetried() {
        String citizen = FiscalCodes.random();
        String token = token(citizen);
        String acceptance = "{\"version\":0,\"accepted_tos_version\":4,\"preferred_languages\":[\"en_GB\"]}";
        assertEquals(200, postProfile(token, acceptance).statusCode());
        // The app did not see the answer and sends the same update again: stale now, and nothing new is written.
        AuthorizationIT.assertProblem(postProfile(token, acceptance), 409, "version");
        assertEquals(2, TestData.messagesFor(citizen), "the welcome messages are written synchronously, once");
        postProfile(token, "{\"version\":1,\"accepted_tos_version\":5,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}");
        assertEquals(2, TestData.messagesFor(citizen), "a later acceptance is not a first one");

        LocalPlatform platform = TestPlatform.get();
        String welcomeService = platform.functionConfig("UpdateProfileFunction").require("WELCOME_SERVICE_ID");
        TestPlatform.await(() -> welcomes(citizen).stream().allMatch(m -> m.status() == MessageStatus.PROCESSED),
                java.time.Duration.ofSeconds(10), "both welcome messages delivered to the inbox");
        for (Message message : welcomes(citizen)) {
            assertEquals(welcomeService, message.senderServiceId());
            assertTrue(message.content().subject().startsWith("Welcome") || message.content().subject().startsWith("Turn on notifications"),
                    "in the citizen's preferred language: " + message.content().subject());
        }
    }

    private static java.util.List<Message> welcomes(String citizen) {
        return TestData.messageIdsFor(citizen).stream().map(id -> TestData.messages().find(id).orElseThrow()).toList();
    }
}
