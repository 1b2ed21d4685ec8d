package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestRequests;
import dev.ioserverless.services.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GetProfileHandlerTest {
    static final String CF = TestProfiles.CITIZEN;
    static final String SERVICE = "profile-reader";
    static final String READER_KEY = "reader-key";

    final ApiFixture fixture = new ApiFixture();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryServicePreferenceStore preferences = new InMemoryServicePreferenceStore();
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final GetProfileHandler handler = new GetProfileHandler(fixture.readOnlyApi(log), profiles, preferences, log);

    GetProfileHandlerTest() {
        fixture.services.save(TestServices.service(SERVICE, java.util.EnumSet.of(ServiceGroup.ApiLimitedProfileRead),
                Set.of(), List.of(), 0), READER_KEY, null);
    }

    APIGatewayV2HTTPResponse get(String fiscalCode, String key) {
        return handler.handleRequest(TestRequests.request("GET", "/api/v1/profiles/{fiscal_code}",
                "/api/v1/profiles/" + fiscalCode).pathParameter("fiscal_code", fiscalCode).key(key).build(), null);
    }

    APIGatewayV2HTTPResponse post(String body, String key) {
        return handler.handleRequest(TestRequests.request("POST", "/api/v1/profiles", "/api/v1/profiles")
                .key(key).json(body).build(), null);
    }

    JsonNode limitedProfile(String fiscalCode) {
        APIGatewayV2HTTPResponse response = get(fiscalCode, READER_KEY);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.read(response.getBody());
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("sender_allowed", "preferred_languages"), names, "exactly IO's LimitedProfile");
        return body;
    }

    boolean senderAllowed(String fiscalCode) {
        return limitedProfile(fiscalCode).get("sender_allowed").booleanValue();
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String detail) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
        assertEquals(detail, Json.read(response.getBody()).get("detail").textValue());
    }

    @Test
    void anEnabledInboxAnswersSenderAllowedAndTheLanguages() {
        profiles.save(new Profile(CF, true, 3, List.of("it_IT", "en_GB"), ServicePreferencesMode.AUTO, 1, Map.of(),
                TestProfiles.CREATED, TestProfiles.CREATED, 1));
        JsonNode body = limitedProfile(CF);
        assertTrue(body.get("sender_allowed").booleanValue());
        assertEquals(Json.read("[\"it_IT\", \"en_GB\"]"), body.get("preferred_languages"));
    }

    @Test
    void aSandboxServiceReadsOnlyItsAuthorizedRecipients() {
        String other = "BNCGVN75L12F205X";
        fixture.services.save(TestServices.service("sandbox", java.util.EnumSet.of(ServiceGroup.ApiLimitedProfileRead,
                ServiceGroup.ApiLimitedMessageWrite), Set.of(CF), List.of(), 0), "sandbox-key", null);
        profiles.save(new Profile(CF, true, 3, List.of("it_IT"), ServicePreferencesMode.AUTO, 1, Map.of(),
                TestProfiles.CREATED, TestProfiles.CREATED, 1));
        profiles.save(new Profile(other, true, 3, List.of("it_IT"), ServicePreferencesMode.AUTO, 1, Map.of(),
                TestProfiles.CREATED, TestProfiles.CREATED, 1));
        assertEquals(200, get(CF, "sandbox-key").getStatusCode());
        assertProblem(get(other, "sandbox-key"), 403,
                "fiscal_code: not among the authorized recipients of a service limited to them");
    }

    @Test
    void noProfileIs404() {
        assertProblem(get(CF, READER_KEY), 404, "fiscal_code: no profile with an enabled inbox for this fiscal code");
    }

    @Test
    void aDisabledInboxIs404LikeNoProfile() {
        profiles.save(TestProfiles.inboxDisabled(CF));
        assertProblem(get(CF, READER_KEY), 404, "fiscal_code: no profile with an enabled inbox for this fiscal code");
    }

    @Test
    void legacyModeAllowsUnlessTheInboxIsBlockedForTheService() {
        profiles.save(TestProfiles.legacy(CF, Map.of("another-service", Set.of(BlockedInboxOrChannel.INBOX),
                SERVICE, Set.of(BlockedInboxOrChannel.EMAIL))));
        assertTrue(senderAllowed(CF));
        profiles.save(TestProfiles.legacy(CF, Map.of(SERVICE, Set.of(BlockedInboxOrChannel.INBOX))));
        assertEquals(false, senderAllowed(CF));
    }

    @Test
    void autoModeAllowsUnlessTheCurrentPreferenceTurnsTheInboxOff() {
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 2));
        assertTrue(senderAllowed(CF));
        preferences.save(TestProfiles.preference(CF, SERVICE, false, 1));
        assertTrue(senderAllowed(CF), "a stale preference does not count");
        preferences.save(TestProfiles.preference(CF, SERVICE, false, 2));
        assertEquals(false, senderAllowed(CF));
    }

    @Test
    void manualModeAllowsOnlyWhenTheCurrentPreferenceTurnsTheInboxOn() {
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.MANUAL, 4));
        assertEquals(false, senderAllowed(CF));
        preferences.save(TestProfiles.preference(CF, SERVICE, true, 3));
        assertEquals(false, senderAllowed(CF), "a stale preference does not count");
        preferences.save(TestProfiles.preference(CF, SERVICE, true, 4));
        assertTrue(senderAllowed(CF));
    }

    @Test
    void theFiscalCodeMayComeInAPostBody() {
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 0));
        APIGatewayV2HTTPResponse response = post("{\"fiscal_code\":\"" + CF + "\",\"other\":1}", READER_KEY);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(get(CF, READER_KEY).getBody(), response.getBody());
    }

    @Test
    void aBadFiscalCodeIs400() {
        String pattern = "fiscal_code: must be a valid fiscal code matching " + FiscalCode.PATTERN;
        assertProblem(get("rssmra80a01h501u", READER_KEY), 400, pattern);
        assertProblem(post("{}", READER_KEY), 400, "fiscal_code: required");
        assertProblem(post("{\"fiscal_code\":16}", READER_KEY), 400, "fiscal_code: must be a string");
        assertProblem(post("{\"fiscal_code\":\"RSSMRA80A01H501\"}", READER_KEY), 400, pattern);
        assertProblem(post("{\"fiscal_code\":", READER_KEY), 400, "body: malformed JSON at line 1, column 16");
        assertEquals(0, profiles.reads.get(), "nothing is looked up for a bad request");
    }

    @Test
    void aPostBodyThatIsNotJsonIs415() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(TestRequests.request("POST", "/api/v1/profiles",
                "/api/v1/profiles").key(READER_KEY).header("content-type", "text/plain").body(CF, false).build(), null);
        assertProblem(response, 415, "Content-Type: expected application/json");
    }

    @Test
    void withoutApiLimitedProfileReadIs403() {
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 0));
        APIGatewayV2HTTPResponse response = get(CF, ApiFixture.KEY);
        assertProblem(response, 403, "service: requires group ApiLimitedProfileRead");
        assertEquals("149", response.getHeaders().get("X-RateLimit-Remaining"));
        assertEquals(0, profiles.reads.get());
    }

    @Test
    void aMissingKeyIs401() {
        assertProblem(get(CF, null), 401, "Ocp-Apim-Subscription-Key: required");
    }

    @Test
    void theCitizenIsLoggedOnlyAsAHash() {
        profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 0));
        String text;
        try (dev.ioserverless.common.LogCapture logs = new dev.ioserverless.common.LogCapture()) {
            get(CF, READER_KEY);
            post("{\"fiscal_code\":\"" + CF + "\"}", READER_KEY);
            get("RSSMRA80A01H501X", READER_KEY);
            text = logs.text();
        }
        assertTrue(!text.contains(CF) && !text.contains("RSSMRA80A01H501X"), text);
        assertTrue(text.contains("\"fiscal_code_ref\":\"" + log.fiscalCodeRef(CF) + "\""), text);
    }
}
