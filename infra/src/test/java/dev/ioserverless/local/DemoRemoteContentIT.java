package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.remotecontent.DemoRemoteContentServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

/**
 * The demo public body's remote-content server, on the body side of IO's remote-content contract,
 * and where demo.json tells a newcomer the storage endpoints are.
 */
class DemoRemoteContentIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static DemoRemoteContentServer server() {
        return TestPlatform.get().remoteContent();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server().baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> authorized(String path) throws Exception {
        return get(path, server().headerName(), server().key(), "fiscal_code", Demo.CITIZEN_FISCAL_CODE);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        return Json.read(new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aRequestWithoutTheKeyOrTheFiscalCodeIsRefused() throws Exception {
        String path = "/messages/" + DemoRemoteContentServer.TARI_MESSAGE_ID;
        HttpResponse<byte[]> noKey = get(path, "fiscal_code", Demo.CITIZEN_FISCAL_CODE);
        assertEquals(401, noKey.statusCode());
        assertEquals("application/problem+json", noKey.headers().firstValue("Content-Type").orElse(""));
        assertEquals(401, get(path, server().headerName(), "not-the-key", "fiscal_code", Demo.CITIZEN_FISCAL_CODE).statusCode());
        HttpResponse<byte[]> noFiscalCode = get(path, server().headerName(), server().key());
        assertEquals(400, noFiscalCode.statusCode());
        assertTrue(json(noFiscalCode).path("detail").asText().startsWith("fiscal_code"));
        assertEquals(400, get(path, server().headerName(), server().key(), "fiscal_code", "rssmra80a01h501u").statusCode());
        assertEquals(404, authorized("/messages/no-such-message").statusCode());
    }

    @Test
    void detailsAttachmentsAndPreconditionAreServed() throws Exception {
        HttpResponse<byte[]> details = authorized("/messages/" + DemoRemoteContentServer.TARI_MESSAGE_ID);
        assertEquals(200, details.statusCode());
        assertEquals("application/json", details.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = json(details);
        assertEquals(java.util.Set.of("attachments", "details"), fieldNames(body));
        String subject = body.path("details").path("subject").asText();
        String markdown = body.path("details").path("markdown").asText();
        assertTrue(subject.length() >= 10 && subject.length() <= 120, subject);
        assertTrue(markdown.length() >= 80 && markdown.length() <= 10_000, markdown);
        JsonNode attachment = body.path("attachments").get(0);
        assertEquals(java.util.Set.of("id", "content_type", "name", "url", "category"), fieldNames(attachment));
        assertEquals("application/pdf", attachment.path("content_type").asText());

        HttpResponse<byte[]> pdf = authorized("/messages/" + DemoRemoteContentServer.TARI_MESSAGE_ID + "/"
                + attachment.path("url").asText());
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        assertEquals("%PDF-", new String(Arrays.copyOf(pdf.body(), 5), StandardCharsets.US_ASCII));
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertEquals(1, document.getNumberOfPages());
        }
        assertEquals(404, authorized("/messages/" + DemoRemoteContentServer.TARI_MESSAGE_ID + "/attachments/other.pdf").statusCode());

        for (String id : new String[] {DemoRemoteContentServer.TARI_MESSAGE_ID, DemoRemoteContentServer.LEGAL_NOTICE_MESSAGE_ID}) {
            HttpResponse<byte[]> precondition = authorized("/messages/" + id + "/precondition");
            assertEquals(200, precondition.statusCode());
            assertEquals(java.util.Set.of("title", "markdown"), fieldNames(json(precondition)));
        }
        JsonNode legal = json(authorized("/messages/" + DemoRemoteContentServer.LEGAL_NOTICE_MESSAGE_ID));
        assertEquals(0, legal.path("attachments").size());
        assertTrue(legal.path("details").path("markdown").asText().length() >= 80);
    }

    @Test
    void demoJsonNamesTheStorageEndpointsAndTheRemoteContentServer() {
        JsonNode demo = TestPlatform.demoJson();
        LocalPlatform platform = TestPlatform.get();
        assertEquals(platform.s3Endpoint().toString(), demo.path("s3_endpoint").asText());
        assertEquals(platform.kmsEndpoint().toString(), demo.path("kms_endpoint").asText());
        assertEquals(server().baseUrl().toString(), demo.path("remote_content_base_url").asText());
        assertTrue(!demo.toString().contains(server().key()), "the remote-content key stays out of demo.json");
        assertEquals(platform.s3Endpoint().toString(), platform.runtimeVariables().get("AWS_ENDPOINT_URL_S3"));
        assertEquals(platform.kmsEndpoint().toString(), platform.runtimeVariables().get("AWS_ENDPOINT_URL_KMS"));
    }

    private static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
