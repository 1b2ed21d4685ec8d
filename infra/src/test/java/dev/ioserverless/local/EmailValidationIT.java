package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Json;
import dev.ioserverless.profiles.DynamoEmailValidationTokens;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoValidatedEmails;
import dev.ioserverless.profiles.EmailValidationTokens;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.profiles.SesValidationMailer;
import dev.ioserverless.profiles.ValidationMailer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * The profile's email and IO's email validation process on the platform: an address set with
 * {@code POST /profile} is unvalidated; {@code POST /email-validation-process} mails a link; the
 * link ({@code GET /api/v1/validate-profile-email?token=}, a public route: no JWT) validates it
 * once, in a page; an address another citizen validated is taken; an expired link validates
 * nothing.
 *
 * <p>The mailbox is the local SES emulator's ({@code GET /_local/emails?to=}, then
 * {@code GET /_local/emails/{id}}, whose {@code text} holds the link). The tests that need it
 * are skipped, saying so, on a platform without it; the rest run everywhere.
 */
class EmailValidationIT {
    private static final Pattern LINK = Pattern.compile("/validate-profile-email\\?token=([A-Za-z0-9_-]{43})");

    static URI citizen(String path) {
        return URI.create(TestPlatform.get().citizenApiBaseUrl() + path);
    }

    static HttpResponse<String> startProcess(String token) {
        return TestPlatform.send(HttpRequest.newBuilder(citizen("/email-validation-process"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The link, opened as a browser opens it: no Authorization header. */
    static HttpResponse<String> open(String token) {
        return TestPlatform.send(HttpRequest.newBuilder(citizen("/validate-profile-email?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8))).header("Accept", "text/html").GET());
    }

    static String address() {
        String address = "citizen." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@example.org";
        Secrets.emailAddress(address);
        return address;
    }

    /** A citizen whose profile has {@code email}, as the app sets it. */
    static String citizenWithEmail(String fiscalCode, String email) {
        Secrets.fiscalCode(fiscalCode);
        String token = CitizenApiIT.token(fiscalCode);
        HttpResponse<String> created = CitizenApiIT.postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,"
                + "\"preferred_languages\":[\"en_GB\"],\"email\":\"" + email + "\"}");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode profile = Json.read(created.body());
        assertEquals(email, profile.path("email").asText());
        assertFalse(profile.path("is_email_validated").asBoolean());
        return token;
    }

    static JsonNode profile(String token) {
        HttpResponse<String> response = CitizenApiIT.getProfile("Bearer " + token);
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body());
    }

    /** The token of the latest validation email to {@code address}, read from its text part. */
    static String tokenMailedTo(String address) {
        HttpResponse<String> list = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/emails?to="
                + URLEncoder.encode(address, StandardCharsets.UTF_8))).GET());
        assertEquals(200, list.statusCode(), list.body());
        JsonNode emails = Json.read(list.body());
        JsonNode items = emails.path("emails");
        assertTrue(items.size() > 0, "an email to the address: " + list.body());
        String id = items.get(0).path("id").asText();   // the mailbox lists the newest first
        HttpResponse<String> email = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/emails/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8))).GET());
        assertEquals(200, email.statusCode(), email.body());
        JsonNode message = Json.read(email.body());
        assertTrue(address.equalsIgnoreCase(message.path("to").path(0).asText()), message.path("to").toString());
        assertEquals("Confirm your email address", message.path("subject").asText(), "the profile's language");
        Matcher link = LINK.matcher(message.path("text").asText());
        assertTrue(link.find(), "the link in the text part: " + message.path("text").asText());
        assertTrue(message.path("html").asText().contains(link.group()), "the same link in the HTML part");
        Secrets.validationToken(link.group(1));
        return link.group(1);
    }

    static void assertPage(HttpResponse<String> page, int status, String words) {
        assertEquals(status, page.statusCode(), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertEquals("default-src 'none'", page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertTrue(page.body().contains(words), page.body());
        assertFalse(page.body().toLowerCase(Locale.ROOT).contains("exception"), page.body());
    }

    // ------------------------------------------------------------------ everywhere

    @Test
    void theLinkRouteIsPublicAndAnUnknownForgedOrMissingTokenIsAPageNotAProblem() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertPage(open(forged), 404, "Link non valido");
        assertPage(TestPlatform.send(HttpRequest.newBuilder(citizen("/validate-profile-email")).GET()), 404,
                "Link non valido");
        // A bearer token the authorizer would refuse changes nothing: no authorizer runs on this route.
        assertPage(TestPlatform.send(HttpRequest.newBuilder(citizen("/validate-profile-email?token=" + forged))
                .header("Authorization", "Bearer not-a-jwt").GET()), 404, "Link non valido");
    }

    @Test
    void aProfileWithoutEmailCannotStartTheProcessAndChangingTheEmailMakesItUnvalidated() {
        String fiscalCode = FiscalCodes.random();
        Secrets.fiscalCode(fiscalCode);
        String token = CitizenApiIT.token(fiscalCode);
        assertEquals(404, startProcess(token).statusCode(), "no profile yet");
        assertEquals(200, CitizenApiIT.postProfile(token, "{\"version\":0,\"accepted_tos_version\":4}").statusCode());
        HttpResponse<String> noEmail = startProcess(token);
        assertEquals(400, noEmail.statusCode(), noEmail.body());
        assertEquals("application/problem+json", noEmail.headers().firstValue("Content-Type").orElse(""));
        assertTrue(Json.read(noEmail.body()).path("detail").asText().startsWith("email:"), noEmail.body());

        String email = address();
        HttpResponse<String> set = CitizenApiIT.postProfile(token, "{\"version\":1,"
                + "\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"" + email + "\"}");
        assertEquals(200, set.statusCode(), set.body());
        JsonNode profile = profile(token);
        assertEquals(email, profile.path("email").asText());
        assertFalse(profile.path("is_email_validated").asBoolean());
        assertFalse(profile.path("is_email_already_taken").asBoolean());
        HttpResponse<String> bad = CitizenApiIT.postProfile(token, "{\"version\":2,"
                + "\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"email\":\"not-an-address\"}");
        assertEquals(400, bad.statusCode(), bad.body());
    }

    // ------------------------------------------------------------------ through the local mailbox

    @Test
    void theMailedLinkValidatesTheAddressOnceAndOnlyThen() {
        String email = address();
        String token = citizenWithEmail(FiscalCodes.random(), email);
        HttpResponse<String> accepted = startProcess(token);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String link = tokenMailedTo(email);

        assertPage(open(link), 200, "Email address confirmed");
        JsonNode profile = profile(token);
        assertTrue(profile.path("is_email_validated").asBoolean(), profile.toString());
        assertFalse(profile.path("is_email_already_taken").asBoolean());
        assertPage(open(link), 410, "Link already used");
        assertEquals(400, startProcess(token).statusCode(), "already validated");
    }

    @Test
    void anAddressAnotherCitizenValidatedIsTaken() {
        String email = address();
        String first = citizenWithEmail(FiscalCodes.random(), email);
        assertEquals(202, startProcess(first).statusCode());
        assertPage(open(tokenMailedTo(email)), 200, "Email address confirmed");

        String second = citizenWithEmail(FiscalCodes.random(), email.toUpperCase(Locale.ROOT).replace("EXAMPLE.ORG", "example.org"));
        assertTrue(profile(second).path("is_email_already_taken").asBoolean());
        assertEquals(202, startProcess(second).statusCode());
        assertPage(open(tokenMailedTo(email.toUpperCase(Locale.ROOT).replace("EXAMPLE.ORG", "example.org"))), 409,
                "Email address already in use");
        assertFalse(profile(second).path("is_email_validated").asBoolean());
        assertTrue(profile(first).path("is_email_validated").asBoolean());
    }

    @Test
    void aLinkOpenedMoreThanThirtyMinutesLaterHasExpired() {
        String email = address();
        String fiscalCode = FiscalCodes.random();
        String token = citizenWithEmail(fiscalCode, email);
        assertEquals(202, startProcess(token).statusCode());
        String link = tokenMailedTo(email);
        TestClock clock = TestPlatform.clock();
        clock.hold(clock.now().plus(Duration.ofMinutes(31)));
        try {
            assertPage(open(link), 410, "Link expired");
        } finally {
            clock.release();
        }
        // The sign-in token of half an hour ago has expired too: the app signs in again.
        assertFalse(profile(CitizenApiIT.token(fiscalCode)).path("is_email_validated").asBoolean());
    }

    // ------------------------------------------------------------------ the adapters, on the real services' emulators

    @Test
    void theStoresWriteConditionallyOnDynamoDbLocal() {
        LocalPlatform platform = TestPlatform.get();
        DynamoEmailValidationTokens tokens = new DynamoEmailValidationTokens(platform.dynamoDb(),
                platform.physicalName("EmailValidationTokensTable"));
        String fiscalCode = FiscalCodes.random();
        Secrets.fiscalCode(fiscalCode);
        String email = address();
        Instant now = TestPlatform.clock().now();
        String hash = Hashing.sha256Hex(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])
                + fiscalCode);
        tokens.create(new EmailValidationTokens.Token(hash, fiscalCode, email, now, now.plus(Duration.ofMinutes(30))));
        assertThrows(ConditionalCheckFailedException.class, () -> tokens.create(
                new EmailValidationTokens.Token(hash, fiscalCode, email, now, now.plus(Duration.ofMinutes(30)))));
        EmailValidationTokens.Claim first = tokens.claim(hash, now);
        EmailValidationTokens.Token claimed = ((EmailValidationTokens.Claimed) first).token();
        assertEquals(email, claimed.email());
        assertEquals(now.plus(Duration.ofMinutes(30)).getEpochSecond(), claimed.expiresAt().getEpochSecond());
        assertEquals(new EmailValidationTokens.AlreadyUsed(fiscalCode), tokens.claim(hash, now));
        assertEquals(new EmailValidationTokens.Unknown(), tokens.claim(Hashing.sha256Hex(hash), now));
        assertFalse(platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("EmailValidationTokensTable"))
                .key(Map.of("token_hash", AttributeValue.fromS(Hashing.sha256Hex(hash))))).hasItem(),
                "an unknown token's claim creates nothing");

        DynamoValidatedEmails validated = new DynamoValidatedEmails(platform.dynamoDb(),
                platform.physicalName("ValidatedEmailsTable"), "local-only-log-hash-key-not-a-secret-0123456789");
        String other = FiscalCodes.random();
        assertTrue(validated.claim(email, fiscalCode));
        assertTrue(validated.claim(email.toUpperCase(Locale.ROOT), fiscalCode), "already this citizen's");
        assertFalse(validated.claim(email, other), "taken");
        validated.release(email, other);
        assertEquals(Optional.of(fiscalCode), validated.holder(email), "only the holder releases");
        validated.release(email, fiscalCode);
        assertEquals(Optional.empty(), validated.holder(email));
        assertTrue(validated.claim(email, other));
        platform.dynamoDb().scan(b -> b.tableName(platform.physicalName("ValidatedEmailsTable"))).items()
                .forEach(item -> assertFalse(item.toString().contains(email), "no address in clear: " + item));

        DynamoProfileStore profiles = new DynamoProfileStore(platform.dynamoDb(), platform.physicalName("ProfilesTable"));
        profiles.save(new Profile(fiscalCode, true, 4, List.of("it_IT"), ServicePreferencesMode.AUTO, 0, Map.of(), now,
                now, 3, true, true, null, null, email, false));
        assertFalse(profiles.markEmailValidated(fiscalCode, "someone.else@example.org", now));
        assertTrue(profiles.markEmailValidated(fiscalCode, email, now));
        Profile read = profiles.find(fiscalCode).orElseThrow();
        assertEquals(Optional.of(email), read.validatedEmail());
        assertEquals(4, read.version(), "a new revision");
        assertThrows(ProfileStore.StaleVersionException.class, () -> profiles.replace(
                new Profile(fiscalCode, true, 4, List.of("it_IT"), ServicePreferencesMode.AUTO, 0, Map.of(), now, now,
                        4, true, true, null, null, email, false), 3, true));
        assertFalse(profiles.markEmailValidated(FiscalCodes.random(), email, now), "no profile");
    }

    @Test
    void theSesV2MailerSendsFromTheConfiguredIdentity() {
        assumeTrue(MotoServer.onPath(), MotoServer.NOT_ON_PATH);
        try (MotoServer moto = MotoServer.start()) {
            Config config = Config.of(Map.of("AWS_REGION", LocalPlatform.REGION, "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL_SESV2", moto.endpoint().toString()));
            SesV2Client ses = AwsClients.sesV2(config);
            ValidationMailer.ValidationEmail email = new ValidationMailer.ValidationEmail("citizen@example.org",
                    "Conferma il tuo indirizzo email", "testo", "<p>testo</p>");
            SesValidationMailer unverified = new SesValidationMailer(ses, "noreply@io-serverless.example", "");
            assertThrows(SesV2Exception.class, () -> unverified.send(email), "SES refuses an unverified sender");
            ses.createEmailIdentity(b -> b.emailIdentity("noreply@io-serverless.example"));
            unverified.send(email);
        }
    }
}
