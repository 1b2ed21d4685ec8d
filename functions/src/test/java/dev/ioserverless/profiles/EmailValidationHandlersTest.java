package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.MutableClock;
import dev.ioserverless.common.Priming;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmailValidationHandlersTest {
    static final String CF = EmailValidationTest.CF;
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryValidatedEmails validated = new InMemoryValidatedEmails();
    final List<ValidationMailer.ValidationEmail> sent = new ArrayList<>();
    final EmailValidation validation = new EmailValidation(profiles, new InMemoryEmailValidationTokens(), validated,
            sent::add, new InMemoryAttemptCounter(), new MutableClock(EmailValidationTest.NOW), new SecureRandom());
    final StartEmailValidationProcessHandler start = new StartEmailValidationProcessHandler(
            new CitizenApi("fiscal_code", log), validation, "", log);
    final ValidateProfileEmailHandler validate = new ValidateProfileEmailHandler(validation, log);

    static APIGatewayV2HTTPEvent startRequest(String fiscalCode, String domain) {
        APIGatewayV2HTTPEvent event = Priming.citizenRequest("fiscal_code", "POST /api/v1/email-validation-process",
                "/api/v1/email-validation-process", Map.of(), Map.of(), null);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("fiscal_code", fiscalCode));
        event.getRequestContext().setDomainName(domain);
        return event;
    }

    static APIGatewayV2HTTPEvent link(String token) {
        return Priming.request("GET /api/v1/validate-profile-email", "/api/v1/validate-profile-email", Map.of(),
                token == null ? Map.of() : Map.of("token", token), null);
    }

    @Test
    void theProcessIsAccepted202AndTheLinkIsOnTheHostThatServedTheRequest() {
        profiles.save(EmailValidationTest.withEmail(CF, "mario.rossi@example.com", List.of()));
        APIGatewayV2HTTPResponse response = start.handleRequest(startRequest(CF, "abc123.execute-api.eu-south-1.amazonaws.com"), null);
        assertEquals(202, response.getStatusCode());
        Matcher token = Pattern.compile("https://abc123\\.execute-api\\.eu-south-1\\.amazonaws\\.com/api/v1/validate-profile-email\\?token=(\\S+)")
                .matcher(sent.get(0).text());
        assertTrue(token.find(), sent.get(0).text());

        APIGatewayV2HTTPResponse page = validate.handleRequest(link(token.group(1)), null);
        assertEquals(200, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
        assertEquals("default-src 'none'", page.getHeaders().get("Content-Security-Policy"));
        assertTrue(page.getBody().contains("Indirizzo email confermato"));
        assertTrue(profiles.find(CF).orElseThrow().isEmailValidated());
        assertEquals(410, validate.handleRequest(link(token.group(1)), null).getStatusCode());
    }

    @Test
    void aProfileWithoutEmailIsA400ProblemAndNoProfileA404() {
        assertEquals(404, start.handleRequest(startRequest(CF, "api.example.org"), null).getStatusCode());
        profiles.save(EmailValidationTest.withEmail(CF, null, List.of()));
        APIGatewayV2HTTPResponse response = start.handleRequest(startRequest(CF, "api.example.org"), null);
        assertEquals(400, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        assertTrue(sent.isEmpty());
    }

    @Test
    void aLoopbackHostIsPlainHttpAndAConfiguredPublicUrlWins() {
        assertEquals("http://127.0.0.1:3004/api/v1",
                StartEmailValidationProcessHandler.requestBaseUrl(startRequest(CF, "127.0.0.1:3004")));
        profiles.save(EmailValidationTest.withEmail(CF, "mario.rossi@example.com", List.of()));
        new StartEmailValidationProcessHandler(new CitizenApi("fiscal_code", log), validation,
                "https://io.example.org/api/v1", log).handleRequest(startRequest(CF, "abc.execute-api.example"), null);
        assertTrue(sent.get(0).text().contains("https://io.example.org/api/v1/validate-profile-email?token="));
    }

    @Test
    void unknownMissingOrHostileTokensGetTheInvalidLinkPageEscapedAndSelfContained() {
        for (String token : new String[] {null, "", "x".repeat(43), "<img src=x onerror=alert(1)>"}) {
            APIGatewayV2HTTPResponse page = validate.handleRequest(link(token), null);
            assertEquals(404, page.getStatusCode());
            assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
            assertFalse(page.getBody().contains("<img"));
            assertFalse(page.getBody().contains("src="));
            assertTrue(page.getBody().contains("Link non valido"));
        }
    }

    @Test
    @ExpectedErrors("email_validation_failed")
    void aStoreFailureIsA503PageThatRevealsNothing() {
        ValidateProfileEmailHandler broken = new ValidateProfileEmailHandler(new EmailValidation(profiles,
                new InMemoryEmailValidationTokens(), validated, sent::add, (key, start, end, limit) -> {
                    throw new IllegalStateException("table unavailable");
                }, new MutableClock(EmailValidationTest.NOW), new SecureRandom()), log);
        APIGatewayV2HTTPResponse page = broken.handleRequest(link("A".repeat(43)), null);
        assertEquals(503, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
        assertFalse(page.getBody().contains("table unavailable"));
    }

    @Test
    void theProfileSaysWhenItsAddressIsTakenByAnotherCitizen() {
        validated.claim("mario.rossi@example.com", EmailValidationTest.OTHER);
        profiles.save(EmailValidationTest.withEmail(CF, "mario.rossi@example.com", List.of()));
        GetUserProfileHandler get = new GetUserProfileHandler(new CitizenApi("fiscal_code", log), profiles, validated);
        APIGatewayV2HTTPEvent event = Priming.citizenRequest("fiscal_code", "GET /api/v1/profile", "/api/v1/profile",
                Map.of(), Map.of(), null);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("fiscal_code", CF, "name", "Mario",
                "family_name", "Rossi"));
        String body = get.handleRequest(event, null).getBody();
        assertTrue(body.contains("\"email\":\"mario.rossi@example.com\""), body);
        assertTrue(body.contains("\"is_email_validated\":false"), body);
        assertTrue(body.contains("\"is_email_already_taken\":true"), body);
    }
}
