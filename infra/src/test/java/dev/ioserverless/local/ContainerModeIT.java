package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.runtime.ContainerFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform as it starts by default: every function in container mode, running the deployment
 * artifact on AWS's runtime interface client. A message goes the whole way through it (submit,
 * process, push, read back), and the functions get no access-key variables at all: their
 * DynamoDB, SQS and SNS calls succeed on container credentials alone, as SnapStart functions'.
 */
class ContainerModeIT {
    private static LocalPlatform platform;
    private static Path state;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("io-container-mode");
        platform = LocalPlatform.start(LocalPlatform.Options.defaults().withPort(0).withStateDir(state));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageGoesAllTheWayThroughFunctionsRunAsLambdaRunsThemOnContainerCredentialsAlone() throws Exception {
        assertFalse(platform.inProcess(), "container mode is the default");
        JsonNode demo = Json.MAPPER.readTree(state.resolve("demo.json").toFile());
        String key = demo.path("api_key").asText();
        String citizen = demo.path("citizen_fiscal_code").asText();
        String base = platform.apiBaseUrl().toString();

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages/" + citizen))
                .header("Ocp-Apim-Subscription-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestData.newMessage())));
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();

        JsonNode[] read = new JsonNode[1];
        TestPlatform.await(() -> {
            try {
                read[0] = Json.read(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages/" + citizen + "/" + id))
                        .header("Ocp-Apim-Subscription-Key", key).GET()).body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return "PROCESSED".equals(read[0].path("status").asText())
                    && "SENT".equals(read[0].path("notification").path("webhook").asText());
        }, Duration.ofSeconds(60), "processed and pushed through container functions");
        assertEquals(TestData.SUBJECT, read[0].path("message").path("content").path("subject").asText());

        for (String function : List.of("SubmitMessageFunction", "ProcessMessageFunction", "PushNotificationFunction",
                "GetMessageFunction")) {
            ContainerFunction container = (ContainerFunction) platform.function(function);
            assertTrue(container.instances() >= 1, function + " ran in an instance of its own");
            for (long pid : container.pids()) {
                Map<String, String> environment = environmentOf(pid);
                assertFalse(environment.containsKey("AWS_ACCESS_KEY_ID"), function + ": no access-key variables");
                assertFalse(environment.containsKey("AWS_SECRET_ACCESS_KEY"), function);
                assertFalse(environment.containsKey("AWS_SESSION_TOKEN"), function);
                assertTrue(environment.containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI"), function);
                assertEquals("snap-start", environment.get("AWS_LAMBDA_INITIALIZATION_TYPE"), function);
                assertEquals(platform.functionSpec(function).handler(), environment.get("_HANDLER"));
                platform.functionSpec(function).environment().forEach((name, value) ->
                        assertEquals(value, environment.get(name), function + " sees its template variable " + name));
            }
        }
    }

    /**
     * A binary answer crosses the Runtime API as Lambda's JSON, {@code isBase64Encoded} and all, and
     * the gateway sends the bytes: the demo citizen's receipt as a PDF, rendered by PDFBox inside the
     * deployment artifact.
     */
    @Test
    void aReceiptPdfComesThroughTheGatewayAsBytes() throws Exception {
        JsonNode demo = Json.MAPPER.readTree(state.resolve("demo.json").toFile());
        HttpResponse<String> issued = send(HttpRequest.newBuilder(URI.create(platform.apiBaseUrl() + "/_local/citizen-token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"fiscal_code\":\"" + demo.path("citizen_fiscal_code").asText() + "\"}")));
        assertEquals(200, issued.statusCode(), issued.body());
        String token = Json.read(issued.body()).path("token").asText();
        HttpResponse<byte[]> pdf = HTTP.send(HttpRequest.newBuilder(URI.create(demo.path("citizen_api_base_url").asText()
                        + "/receipts/" + demo.path("receipt_event_id").asText() + "/pdf"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pdf.statusCode(), new String(pdf.body(), StandardCharsets.UTF_8));
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        assertEquals("%PDF-", new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII));
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            assertTrue(new org.apache.pdfbox.text.PDFTextStripper().getText(document)
                    .contains(demo.path("receipt_event_id").asText()));
        }
    }

    /** The process environment of an instance, as Linux shows it. */
    private static Map<String, String> environmentOf(long pid) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ"));
        Map<String, String> environment = new HashMap<>();
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return environment;
    }
}
