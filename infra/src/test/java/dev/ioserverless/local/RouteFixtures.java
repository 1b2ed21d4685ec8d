package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.OpenApiRoutes.Route;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.payments.CallbackSignature;
import dev.ioserverless.services.ServiceGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.ArrayList;
import dev.ioserverless.local.template.FunctionSpec;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One citizen's world, built over HTTP as the platform's real clients build it, so that every
 * route of the three APIs has something real to point at: a service with every group, a citizen
 * with a profile, a processed message of theirs carrying a payment notice, the receipt of that
 * notice (paid through the signed callback) and an installation. It gives each route its path
 * values, a valid body and its credentials.
 */
final class RouteFixtures {
    /** The test user of the fixture configurations: a fiscal code no citizen of the tests has. */
    static final String TEST_USER = "TSTUSR80A01H501W";
    private static final String RATE_LIMITS = "RateLimitsTable";
    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    static final String PAYEE = "01234567890";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final TestService service;
    final String fiscalCode;
    final String token;
    final String subject;
    final String messageId;
    final String noticeNumber;
    final String receiptId;
    final String installationId;
    final String deviceToken;
    /** The service's remote-content configuration. */
    final String configurationId;
    /** The hosted PDF of the world's message: the id of its one attachment. */
    final String documentId;

    private RouteFixtures(TestService service, String fiscalCode, String token, String subject, String messageId,
                          String noticeNumber, String receiptId, String installationId, String deviceToken,
                          String configurationId, String documentId) {
        this.service = service;
        this.fiscalCode = fiscalCode;
        this.token = token;
        this.subject = subject;
        this.messageId = messageId;
        this.noticeNumber = noticeNumber;
        this.receiptId = receiptId;
        this.installationId = installationId;
        this.deviceToken = deviceToken;
        this.configurationId = configurationId;
        this.documentId = documentId;
    }

    /** A service with every group and a rate limit no test reaches, and its citizen's data. */
    static RouteFixtures create() {
        TestService service = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 1_000_000, 1_000_000);
        return create(service);
    }

    static RouteFixtures create(TestService service) {
        String fiscalCode = TestData.citizen();
        String token = CitizenApiIT.token(fiscalCode);
        String subject = "Avviso riservato " + UUID.randomUUID().toString().substring(0, 8);
        String notice = PaymentCallbackIT.noticeNumber();
        // The message carries a hosted PDF, so the citizen's third-party routes serve it.
        byte[] pdf = HostedDocumentsIT.pdf(1024);
        HostedDocumentsIT.Declared document = HostedDocumentsIT.declare(service, "avviso.pdf", "application/pdf", pdf.length);
        assertEquals(200, HostedDocumentsIT.upload(document, "application/pdf", pdf));
        String message = "{\"content\":{\"subject\":\"" + subject + "\",\"markdown\":\"" + TestData.MARKDOWN
                + "\",\"payment_data\":{\"amount\":4200,\"notice_number\":\"" + notice + "\"},\"documents\":[\""
                + document.id() + "\"]}}";
        HttpResponse<String> sent = TestData.post(service.primaryKey(), "/api/v1/messages/" + fiscalCode, message);
        assertEquals(201, sent.statusCode(), sent.body());
        String messageId = Json.read(sent.body()).path("id").asText();
        TestPlatform.await(() -> "PROCESSED".equals(Json.read(TestData.get(service.primaryKey(),
                        "/api/v1/messages/" + fiscalCode + "/" + messageId).body()).path("status").asText()),
                Duration.ofSeconds(20), "the fixture message processed");

        String receiptId = "rcpt-" + UUID.randomUUID();
        HttpResponse<String> paid = PaymentCallbackIT.signedCallback(
                PaymentCallbackIT.receiptBody(receiptId, notice, 4200, fiscalCode, fiscalCode));
        assertTrue(paid.statusCode() == 200 || paid.statusCode() == 202, paid.body());

        String installationId = "inst-" + UUID.randomUUID();
        String deviceToken = InstallationsIT.deviceToken();
        HttpResponse<String> registered = TestPlatform.send(HttpRequest.newBuilder(
                        URI.create(TestPlatform.get().citizenApiBaseUrl() + "/installations/" + installationId))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(installationBody(deviceToken))));
        assertEquals(200, registered.statusCode(), registered.body());
        HttpResponse<String> configured = TestData.post(service.primaryKey(),
                "/api/v1/messages-sending/remote-contents/configurations", configurationBody());
        assertEquals(201, configured.statusCode(), configured.body());
        String configurationId = Json.read(configured.body()).path("configuration_id").asText();
        return new RouteFixtures(service, fiscalCode, token, subject, messageId, notice, receiptId, installationId,
                deviceToken, configurationId, document.id());
    }

    static String installationBody(String deviceToken) {
        return "{\"platform\":\"gcm\",\"pushChannel\":\"" + deviceToken + "\"}";
    }

    /** The path parameter values that name this world's data, by the parameter names the OpenAPI files use. */
    Map<String, String> pathValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("fiscal_code", fiscalCode);
        values.put("id", messageId);
        values.put("service_id", service.id());
        values.put("rptId", PAYEE + noticeNumber);
        values.put("installationID", installationId);
        values.put("eventId", receiptId);
        values.put("configurationId", configurationId);
        values.put("attachment_url", documentId);
        return values;
    }

    /** A value for every path parameter of the route: this world's, or a plain token for a name it does not know. */
    Map<String, String> pathValuesFor(Route route) {
        Map<String, String> known = pathValues();
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : route.pathParameters()) {
            values.put(name, known.getOrDefault(name, "unknown-" + name));
        }
        return values;
    }

    /**
     * A body the route accepts (or would accept, but for state such as a profile's version): the
     * route's own example from its OpenAPI file when it has one, pointed at this world's citizen.
     */
    String validBody(Route route) {
        String key = route.toString();
        return switch (key) {
            case "POST /api/v1/messages/{fiscal_code}" -> content();
            case "POST /api/v1/messages" -> "{\"fiscal_code\":\"" + fiscalCode + "\"," + content().substring(1);
            case "POST /api/v1/messages/batch" -> "{\"messages\":[{\"fiscal_code\":\"" + fiscalCode + "\","
                    + content().substring(1) + "]}";
            case "POST /api/v1/profiles" -> "{\"fiscal_code\":\"" + fiscalCode + "\"}";
            case "POST /api/v1/profile" -> "{\"version\":1,\"is_inbox_enabled\":true,\"is_webhook_enabled\":true,"
                    + "\"accepted_tos_version\":4,\"preferred_languages\":[\"it_IT\"]}";
            case "POST /api/v1/services/{service_id}/preferences" -> CitizenApiIT.choice(true, 0);
            case "PUT /api/v1/messages/{id}/message-status" -> "{\"change_type\":\"reading\",\"is_read\":true}";
            case "PUT /api/v1/installations/{installationID}" -> installationBody(deviceToken);
            case "POST /api/v1/messages-sending/remote-contents/configurations",
                 "PUT /api/v1/messages-sending/remote-contents/configurations/{configurationId}" -> configurationBody();
            case "POST /api/v1/documents" -> documentBody();
            case "POST /payments/v1/callback" -> PaymentCallbackIT.receiptBody("rcpt-" + UUID.randomUUID(),
                    noticeNumber, 4200, fiscalCode, null);
            default -> {
                if (route.bodyExample() != null) {
                    yield Json.write(route.bodyExample());
                }
                yield route.hasBody() ? "{}" : "";
            }
        };
    }

    /**
     * A remote-content configuration with both environments and a test user who is nobody of this
     * world's (a body another service sends must not carry A's fiscal code into answers to B).
     */
    static String configurationBody() {
        ObjectNode body = Json.object().put("name", "Fixture configuration").put("description", "Route fixtures")
                .put("has_precondition", "NEVER").put("is_lollipop_enabled", false);
        body.putArray("disable_lollipop_for");
        ObjectNode prod = body.putObject("prod_environment").put("base_url", "https://remote-content.example.org/io");
        prod.putObject("details_authentication").put("header_key_name", "X-Api-Key").put("key", "fixture-prod-key")
                .put("type", "API-KEY");
        ObjectNode test = body.putObject("test_environment").put("base_url", "https://test.remote-content.example.org/io");
        test.putObject("details_authentication").put("header_key_name", "X-Api-Key").put("key", "fixture-test-key")
                .put("type", "API-KEY");
        test.putArray("test_users").add(TEST_USER);
        return Json.write(body);
    }

    /** A PDF document to declare. */
    static String documentBody() {
        return "{\"name\":\"avviso.pdf\",\"content_type\":\"application/pdf\",\"size\":1024}";
    }

    private String content() {
        ObjectNode content = Json.object();
        ObjectNode fields = content.putObject("content").put("subject", TestData.SUBJECT).put("markdown", TestData.MARKDOWN)
                .put("due_date", "2026-12-31T23:59:59.000Z");
        fields.putObject("payment_data").put("amount", 4200).put("notice_number", noticeNumber)
                .put("invalid_after_due_date", false);
        return Json.write(content);
    }

    /** The headers that authenticate this world's caller on the route's API. */
    Map<String, String> credentials(Route route, byte[] body) {
        return switch (route.api()) {
            case SERVICES -> Map.of("Ocp-Apim-Subscription-Key", service.primaryKey());
            case CITIZEN -> Map.of("Authorization", "Bearer " + token);
            case PAYMENTS -> Map.of(CallbackSignature.HEADER, CallbackSignature.sign(PaymentCallbackIT.secret(),
                    TestPlatform.clock().now().getEpochSecond(), body));
        };
    }

    /** A request, sent as it is: any method, headers and bytes; the answer's body as UTF-8 text. */
    static HttpResponse<String> send(URI uri, String method, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new TextResponse(response, new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A byte response read as text, so that one assertion helper serves JSON and PDF answers alike. */
    private record TextResponse(HttpResponse<byte[]> raw, String body) implements HttpResponse<String> {
        public int statusCode() {
            return raw.statusCode();
        }

        public HttpRequest request() {
            return raw.request();
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return raw.headers();
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return raw.sslSession();
        }

        public URI uri() {
            return raw.uri();
        }

        public HttpClient.Version version() {
            return raw.version();
        }
    }

    static JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The items of every table of the platform, by table name, but the rate-limit counters
     * ({@code RateLimitsTable}): a rejected Services API request is meant to count against its
     * key's limit, and opening a new 5-second window adds an item.
     */
    static Map<String, Long> countItems() {
        LocalPlatform platform = TestPlatform.get();
        String rateLimits = platform.physicalName(RATE_LIMITS);
        Map<String, Long> out = new TreeMap<>();
        for (String table : platform.dynamoDb().listTablesPaginator().tableNames()) {
            if (table.equals(rateLimits)) {
                continue;
            }
            long n = platform.dynamoDb().scanPaginator(b -> b.tableName(table).select(Select.COUNT).consistentRead(true))
                    .stream().mapToLong(page -> page.count()).sum();
            out.put(table, n);
        }
        return out;
    }

    /** Waits until every queue a function consumes is empty, nothing in flight or delayed. */
    static void awaitPipelineIdle() {
        LocalPlatform platform = TestPlatform.get();
        List<String> queues = new ArrayList<>();
        for (String id : platform.functionIds()) {
            for (FunctionSpec.SqsTrigger trigger : platform.function(id).spec().sqsTriggers()) {
                queues.add(platform.queueUrl(trigger.queueLogicalId()));
            }
        }
        TestPlatform.await(() -> queues.stream().allMatch(url -> platform.sqs()
                        .getQueueAttributes(b -> b.queueUrl(url).attributeNames(COUNTS)).attributes().values().stream()
                        .allMatch("0"::equals)),
                Duration.ofSeconds(30), "every consumed queue empty");
    }
}
