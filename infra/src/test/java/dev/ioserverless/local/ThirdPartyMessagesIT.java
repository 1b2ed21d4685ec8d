package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.documents.ConfigurationViews;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.push.PushNotification;
import dev.ioserverless.services.ServiceGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Remote content end to end, through HTTP: a service registers its server's configuration on the
 * Services API, sends a message with {@code third_party_data}, and the citizen reads its details,
 * attachment and precondition on the citizen API, fetched by the platform from a body's server
 * that also misbehaves on purpose ({@link BodyServer}).
 */
class ThirdPartyMessagesIT {
    static final OpenApiContract SERVICES = OpenApiContract.load();
    static final OpenApiContract CITIZEN = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));
    static final String CONFIGURATIONS = "/api/v1/messages-sending/remote-contents/configurations";
    static BodyServer body;

    @BeforeAll
    static void startBodyServer() throws IOException {
        body = new BodyServer();
    }

    @AfterAll
    static void stopBodyServer() {
        body.close();
    }

    static TestService sender() {
        return TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead), Set.of(), List.of(),
                1_000_000, 10_000);
    }

    static String configurationBody(String precondition, URI baseUrl, String key, List<String> testUsers) {
        String test = testUsers == null ? "" : ",\"test_environment\":{\"base_url\":\"" + baseUrl + "\","
                + "\"details_authentication\":{\"header_key_name\":\"" + BodyServer.HEADER + "\",\"key\":\"" + key
                + "\",\"type\":\"API-KEY\"},\"test_users\":" + Json.write(testUsers) + "}";
        return "{\"name\":\"Verbali\",\"description\":\"Il server dei verbali del comune\",\"has_precondition\":\""
                + precondition + "\",\"disable_lollipop_for\":[],\"is_lollipop_enabled\":false,"
                + "\"prod_environment\":{\"base_url\":\"" + baseUrl + "\",\"details_authentication\":{\"header_key_name\":\""
                + BodyServer.HEADER + "\",\"key\":\"" + key + "\",\"type\":\"API-KEY\"}}" + test + "}";
    }

    static HttpResponse<String> services(String method, String key, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestPlatform.url(path))
                .header("Ocp-Apim-Subscription-Key", key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = TestPlatform.send(request);
        SERVICES.assertConforms(response);
        return response;
    }

    static String createConfiguration(TestService service, String precondition, URI baseUrl, String key) {
        HttpResponse<String> created = services("POST", service.primaryKey(), CONFIGURATIONS,
                configurationBody(precondition, baseUrl, key, null));
        assertEquals(201, created.statusCode(), created.body());
        return Json.read(created.body()).path("configuration_id").asText();
    }

    static String thirdPartyMessage(String thirdPartyId, String configurationId, String precondition) {
        Secrets.subject(SUBJECT);
        Secrets.markdown(MARKDOWN);
        return "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\",\"third_party_data\":{"
                + "\"id\":\"" + thirdPartyId + "\",\"has_attachments\":true,\"has_remote_content\":true"
                + (precondition == null ? "" : ",\"has_precondition\":\"" + precondition + "\"")
                + (configurationId == null ? "" : ",\"configuration_id\":\"" + configurationId + "\"") + "}}}";
    }

    /** Sends and waits until PROCESSED; the message id. */
    static String deliver(TestService service, String citizen, String json) {
        HttpResponse<String> sent = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen, json);
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Json.read(sent.body()).path("id").asText();
        InboxIT.awaitStatus(service, citizen, id, "PROCESSED");
        return id;
    }

    static HttpResponse<String> citizen(String token, String path) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                URI.create(TestPlatform.get().citizenApiBaseUrl() + path)).header("Authorization", "Bearer " + token).GET());
        CITIZEN.assertConforms(response);
        return response;
    }

    static HttpResponse<byte[]> citizenBytes(String token, String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(TestPlatform.get().citizenApiBaseUrl() + path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ configurations

    @Test
    void aConfigurationIsCreatedListedReadReplacedAndRetiredByItsServiceOnly() {
        TestService owner = sender();
        TestService other = sender();
        String key = body.key();
        HttpResponse<String> created = services("POST", owner.primaryKey(), CONFIGURATIONS,
                configurationBody("ONCE", body.baseUrl(), key, List.of(FiscalCodes.random())));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode view = Json.read(created.body());
        String id = view.path("configuration_id").asText();
        assertEquals(ConfigurationViews.WITHHELD_KEY, view.path("prod_environment").path("details_authentication").path("key").asText());
        assertEquals(ConfigurationViews.WITHHELD_KEY, view.path("test_environment").path("details_authentication").path("key").asText());
        assertFalse(created.body().contains(key), "the key is never answered, not even at creation");

        HttpResponse<String> read = services("GET", owner.primaryKey(), CONFIGURATIONS + "/" + id, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(owner.id(), Json.read(read.body()).path("user_id").asText());
        assertEquals("ONCE", Json.read(read.body()).path("has_precondition").asText());
        assertFalse(read.body().contains(key));
        HttpResponse<String> list = services("GET", owner.primaryKey(), CONFIGURATIONS, null);
        assertEquals(200, list.statusCode());
        assertEquals(List.of(id), ids(list));
        assertFalse(list.body().contains(key));
        assertEquals(List.of(), ids(services("GET", other.primaryKey(), CONFIGURATIONS, null)), "another service sees none");

        // Another service: the same 404 as for none, on every route; nothing changes.
        assertEquals(404, services("GET", other.primaryKey(), CONFIGURATIONS + "/" + id, null).statusCode());
        assertEquals(404, services("PUT", other.primaryKey(), CONFIGURATIONS + "/" + id,
                configurationBody("NEVER", body.baseUrl(), "stolen-key-0123456789", null)).statusCode());
        assertEquals(404, services("DELETE", other.primaryKey(), CONFIGURATIONS + "/" + id, null).statusCode());
        assertEquals(404, services("GET", owner.primaryKey(), CONFIGURATIONS + "/01ARZ3NDEKTSV4RRFFQ69G5FAV", null).statusCode());

        // The owner replaces it whole, then retires it.
        HttpResponse<String> updated = services("PUT", owner.primaryKey(), CONFIGURATIONS + "/" + id,
                configurationBody("ALWAYS", body.baseUrl(), key, null));
        assertEquals(204, updated.statusCode(), updated.body());
        JsonNode after = Json.read(services("GET", owner.primaryKey(), CONFIGURATIONS + "/" + id, null).body());
        assertEquals("ALWAYS", after.path("has_precondition").asText());
        assertTrue(after.path("test_environment").isMissingNode(), "replaced whole: " + after);
        assertEquals(204, services("DELETE", owner.primaryKey(), CONFIGURATIONS + "/" + id, null).statusCode());
        assertEquals(404, services("GET", owner.primaryKey(), CONFIGURATIONS + "/" + id, null).statusCode());
        assertEquals(List.of(), ids(services("GET", owner.primaryKey(), CONFIGURATIONS, null)));
    }

    @Test
    void theKeyIsStoredSealedUnderKmsBoundToItsConfiguration() {
        TestService owner = sender();
        String id = createConfiguration(owner, "NEVER", body.baseUrl(), body.key());
        LocalPlatform platform = TestPlatform.get();
        Map<String, AttributeValue> item = platform.dynamoDb().getItem(b -> b.tableName(
                platform.physicalName("RemoteContentConfigurationsTable")).key(Map.of("id", AttributeValue.fromS(id)))).item();
        assertFalse(item.toString().contains(body.key()), "no clear key in the table");
        String sealed = item.get("prod_environment").m().get("sealed_key").s();
        var kms = KmsClients.of(platform);
        String opened = kms.decrypt(b -> b.ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                        java.util.Base64.getDecoder().decode(sealed)))
                .encryptionContext(Map.of("configuration_id", id, "environment", "prod"))).plaintext().asUtf8String();
        assertEquals(body.key(), opened);
        assertThrowsKms(() -> kms.decrypt(b -> b.ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                        java.util.Base64.getDecoder().decode(sealed)))
                .encryptionContext(Map.of("configuration_id", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "environment", "prod"))));
    }

    static void assertThrowsKms(Runnable call) {
        try {
            call.run();
        } catch (software.amazon.awssdk.services.kms.model.KmsException expected) {
            return;
        }
        throw new AssertionError("a key sealed for one configuration must not open under another's context");
    }

    @Test
    void aBadConfigurationIsA400NamingTheFieldAndWritesNothing() {
        TestService owner = sender();
        String bad = configurationBody("SOMETIMES", URI.create("ftp://example.org"), "key with spaces", null);
        HttpResponse<String> refused = services("POST", owner.primaryKey(), CONFIGURATIONS, bad);
        assertEquals(400, refused.statusCode());
        String detail = Json.read(refused.body()).path("detail").asText();
        assertTrue(detail.contains("has_precondition"), detail);
        assertTrue(detail.contains("prod_environment.base_url"), detail);
        assertTrue(detail.contains("prod_environment.details_authentication.key"), detail);
        assertFalse(detail.contains("key with spaces"), "the value is never repeated");
        assertEquals(List.of(), ids(services("GET", owner.primaryKey(), CONFIGURATIONS, null)));
    }

    static List<String> ids(HttpResponse<String> list) {
        List<String> ids = new java.util.ArrayList<>();
        Json.read(list.body()).path("rcConfigList").forEach(c -> ids.add(c.path("configuration_id").asText()));
        return ids;
    }

    // ------------------------------------------------------------------ messages

    @Test
    void aMessageNamingAnUnknownOrForeignConfigurationIsA400AndNothingIsStored() {
        TestService owner = sender();
        TestService other = sender();
        String foreign = createConfiguration(other, "NEVER", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        for (String configuration : List.of(foreign, "01ARZ3NDEKTSV4RRFFQ69G5FAV")) {
            HttpResponse<String> refused = TestData.post(owner.primaryKey(), "/api/v1/messages/" + citizen,
                    thirdPartyMessage("any", configuration, null));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(Json.read(refused.body()).path("detail").asText().contains("content.third_party_data.configuration_id"));
        }
        HttpResponse<String> none = TestData.post(owner.primaryKey(), "/api/v1/messages/" + citizen,
                thirdPartyMessage("any", null, null));
        assertEquals(400, none.statusCode(), "no configuration of its own to fall back on: " + none.body());
        assertEquals(0, TestData.messagesFor(citizen));
    }

    @Test
    void theCitizenReadsARemoteMessageItsAttachmentByteForByteAndTheInboxFlagsIt() {
        TestService service = sender();
        String configuration = createConfiguration(service, "NEVER", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String thirdPartyId = "verbale-" + java.util.UUID.randomUUID();
        String id = deliver(service, citizen, thirdPartyMessage(thirdPartyId, configuration, null));

        HttpResponse<String> read = citizen(token, "/third-party-messages/" + id);
        assertEquals(200, read.statusCode(), read.body());
        JsonNode message = Json.read(read.body());
        assertEquals(id, message.path("id").asText());
        assertEquals(configuration, message.path("content").path("third_party_data").path("configuration_id").asText());
        JsonNode third = message.path("third_party_message");
        assertEquals(BodyServer.SUBJECT, third.path("details").path("subject").asText());
        assertEquals("A-B-C", third.path("details").path("iun").asText(), "details are the body's, free-form");
        assertEquals("files/notice.pdf", third.path("attachments").get(0).path("url").asText());
        BodyServer.Request fetched = body.requests.stream().filter(r -> r.path().equals("/io/messages/" + thirdPartyId))
                .findFirst().orElseThrow();
        assertEquals(citizen, fetched.fiscalCode(), "IO's contract: the citizen's fiscal code in a header");
        assertEquals(body.key(), fetched.key(), "and the configured key, opened from its seal");

        HttpResponse<byte[]> attachment = citizenBytes(token, "/third-party-messages/" + id + "/attachments/files/notice.pdf");
        assertEquals(200, attachment.statusCode());
        assertEquals("application/pdf", attachment.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(BodyServer.PDF, attachment.body());
        assertTrue(body.requests.stream().anyMatch(r -> r.path().equals("/io/messages/" + thirdPartyId + "/files/notice.pdf")));

        JsonNode item = null;
        for (JsonNode candidate : InboxIT.page(token, "?enrich_result_data=true").path("items")) {
            if (candidate.path("id").asText().equals(id)) {
                item = candidate;
            }
        }
        assertNotNull(item, "listed");
        assertTrue(item.path("has_attachments").asBoolean(), item.toString());
        assertFalse(item.path("has_precondition").asBoolean(), item.toString());
        JsonNode detail = Json.read(TestData.get(service.primaryKey(), "/api/v2/messages/" + citizen + "/" + id).body());
        assertTrue(detail.path("has_attachments").asBoolean(), detail.toString());
        assertEquals("NEVER", detail.path("precondition").path("has_precondition").asText());
        assertEquals(204, citizen(token, "/third-party-messages/" + id + "/precondition").statusCode());
    }

    @Test
    void preconditionsUnderAlwaysOnceAndNever() {
        TestService service = sender();
        String configuration = createConfiguration(service, "ALWAYS", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);

        // ALWAYS, from the configuration: shown on every opening.
        String always = deliver(service, citizen, thirdPartyMessage("always", configuration, null));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> shown = citizen(token, "/third-party-messages/" + always + "/precondition");
            assertEquals(200, shown.statusCode(), shown.body());
            assertEquals("Comunicazione a valore legale", Json.read(shown.body()).path("title").asText());
            assertEquals(200, citizen(token, "/third-party-messages/" + always).statusCode());
        }

        // ONCE, from the message: shown until the citizen opens the message after it, which is the acceptance.
        String once = deliver(service, citizen, thirdPartyMessage("once", configuration, "ONCE"));
        assertEquals(200, citizen(token, "/third-party-messages/" + once).statusCode(), "read before being shown");
        assertTrue(senderDetail(service, citizen, once).path("precondition").path("accepted_at").isMissingNode(),
                "opening it without seeing the precondition accepts nothing");
        assertEquals(200, citizen(token, "/third-party-messages/" + once + "/precondition").statusCode());
        assertEquals(200, citizen(token, "/third-party-messages/" + once).statusCode());
        JsonNode accepted = senderDetail(service, citizen, once).path("precondition");
        assertEquals("ONCE", accepted.path("has_precondition").asText());
        assertTrue(accepted.path("accepted_at").isTextual(), accepted.toString());
        assertEquals(204, citizen(token, "/third-party-messages/" + once + "/precondition").statusCode(), "accepted");
        String acceptedAt = accepted.path("accepted_at").asText();
        citizen(token, "/third-party-messages/" + once);
        assertEquals(acceptedAt, senderDetail(service, citizen, once).path("precondition").path("accepted_at").asText(),
                "the first acceptance is kept");

        // NEVER, from the message over the configuration's ALWAYS.
        String never = deliver(service, citizen, thirdPartyMessage("never", configuration, "NEVER"));
        assertEquals(204, citizen(token, "/third-party-messages/" + never + "/precondition").statusCode());

        // The inbox tells the app which open behind a precondition.
        Map<String, Boolean> flags = new java.util.HashMap<>();
        InboxIT.page(token, "?enrich_result_data=true").path("items")
                .forEach(item -> flags.put(item.path("id").asText(), item.path("has_precondition").asBoolean()));
        assertEquals(Map.of(always, true, once, true, never, false), flags);
    }

    static JsonNode senderDetail(TestService service, String citizen, String id) {
        return Json.read(TestData.get(service.primaryKey(), "/api/v2/messages/" + citizen + "/" + id).body());
    }

    @Test
    void aPushForAMessageBehindAPreconditionShowsNothingWhateverTheProfileSays() {
        TestService service = sender();
        String configuration = createConfiguration(service, "ONCE", body.baseUrl(), body.key());
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        assertEquals(200, CitizenApiIT.postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,"
                + "\"push_notifications_content_type\":\"FULL\",\"service_preferences_settings\":{\"mode\":\"AUTO\"}}")
                .statusCode());
        String device = PushNotificationIT.registerDevice(citizen);
        String id = deliver(service, citizen, thirdPartyMessage("legal", configuration, null));
        TestPlatform.await(() -> PushNotificationIT.pushesOf(device, id).size() == 1, Duration.ofSeconds(10), "push delivered");
        JsonNode alert = PushNotificationIT.pushesOf(device, id).get(0).path("payload").path("aps").path("alert");
        assertEquals(PushNotification.TITLE, alert.path("title").asText());
        assertEquals(PushNotification.BODY, alert.path("body").asText());
        assertFalse(PushNotificationIT.pushesOf(device, id).get(0).toString().contains(SUBJECT));
    }

    @Test
    void anotherCitizenGetsA404OnEveryRoute() {
        TestService service = sender();
        String configuration = createConfiguration(service, "ALWAYS", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        String id = deliver(service, citizen, thirdPartyMessage("private", configuration, null));
        String intruder = CitizenApiIT.token(TestData.citizen());
        int before = body.requests.size();
        for (String path : List.of("", "/precondition", "/attachments/files/notice.pdf")) {
            HttpResponse<byte[]> refused = citizenBytes(intruder, "/third-party-messages/" + id + path);
            assertEquals(404, refused.statusCode(), path);
        }
        assertEquals(before, body.requests.size(), "the body's server was never asked");
    }

    @Test
    void aRetiredConfigurationAnswersGone() {
        TestService service = sender();
        String configuration = createConfiguration(service, "NEVER", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String id = deliver(service, citizen, thirdPartyMessage("retired", configuration, null));
        assertEquals(204, services("DELETE", service.primaryKey(), CONFIGURATIONS + "/" + configuration, null).statusCode());
        HttpResponse<String> gone = citizen(token, "/third-party-messages/" + id);
        assertEquals(410, gone.statusCode(), gone.body());
        assertEquals("application/problem+json", gone.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> refused = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen,
                thirdPartyMessage("retired", configuration, null));
        assertEquals(400, refused.statusCode(), "no new message may name it");
    }

    // ------------------------------------------------------------------ a hostile body

    @Test
    void aHostileBodyServerGetsItsDocumentedStatusesAndThePlatformStaysUp() {
        TestService service = sender();
        String configuration = createConfiguration(service, "NEVER", body.baseUrl(), body.key());
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("broken", 502);
        expected.put("missing", 404);
        expected.put("redirect-local", 502);
        expected.put("redirect-metadata", 502);
        expected.put("slow", 504);
        for (var entry : expected.entrySet()) {
            String id = deliver(service, citizen, thirdPartyMessage(entry.getKey(), configuration, null));
            HttpResponse<String> answer = citizen(token, "/third-party-messages/" + id);
            assertEquals(entry.getValue(), answer.statusCode(), entry.getKey() + ": " + answer.body());
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""), entry.getKey());
            assertFalse(answer.body().contains(body.key()) || answer.body().contains(citizen), answer.body());
        }
        assertTrue(body.trapHits.isEmpty(), "no redirect was followed: " + body.trapHits);

        String huge = deliver(service, citizen, thirdPartyMessage("huge", configuration, null));
        assertEquals(502, citizenBytes(token, "/third-party-messages/" + huge + "/attachments/files/notice.pdf").statusCode(),
                "larger than the cap");
        String html = deliver(service, citizen, thirdPartyMessage("html", configuration, null));
        assertEquals(415, citizenBytes(token, "/third-party-messages/" + html + "/attachments/files/notice.pdf").statusCode(),
                "declared a PDF, is HTML");

        // A configuration pointing at a private or link-local address is refused before any connection.
        for (String address : List.of("http://10.0.0.1:8080", "http://169.254.169.254", "http://192.168.1.1")) {
            TestService other = sender();
            String internal = createConfiguration(other, "NEVER", URI.create(address), "internal-key-0123456789");
            String id = deliver(other, citizen, thirdPartyMessage("internal", internal, null));
            HttpResponse<String> refused = citizen(token, "/third-party-messages/" + id);
            assertEquals(502, refused.statusCode(), address + ": " + refused.body());
        }

        // Still up, and a well-behaved message still reads.
        assertEquals(200, TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/health")).GET()).statusCode());
        String fine = deliver(service, citizen, thirdPartyMessage("fine", configuration, null));
        assertEquals(200, citizen(token, "/third-party-messages/" + fine).statusCode());
    }
}
