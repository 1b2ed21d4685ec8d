package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hosted documents through HTTP and the real S3-compatible store: a service declares a document,
 * uploads it with the presigned URL exactly as declared, names it in a message, and the citizen
 * reads it through the third-party routes. Every way an upload can fail is a 400 at submission
 * that names the document, and nothing is stored.
 */
class HostedDocumentsIT {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Declared(String id, URI uploadUrl, Instant expiresAt) {
    }

    static Declared declare(TestService service, String name, String type, long size) {
        HttpResponse<String> response = ThirdPartyMessagesIT.services("POST", service.primaryKey(), "/api/v1/documents",
                "{\"name\":\"" + name + "\",\"content_type\":\"" + type + "\",\"size\":" + size + "}");
        assertEquals(201, response.statusCode(), response.body());
        JsonNode body = Json.read(response.body());
        return new Declared(body.path("document_id").asText(), URI.create(body.path("upload_url").asText()),
                Instant.parse(body.path("expires_at").asText()));
    }

    static int upload(Declared document, String type, byte[] bytes) {
        try {
            return HTTP.send(HttpRequest.newBuilder(document.uploadUrl()).header("Content-Type", type)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] pdf(int size) {
        byte[] bytes = new byte[size];
        byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = head.length; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    static String messageWith(List<String> documents) {
        Secrets.subject(SUBJECT);
        Secrets.markdown(MARKDOWN);
        return "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\",\"documents\":"
                + Json.write(documents) + "}}";
    }

    static HttpResponse<String> submit(TestService service, String citizen, List<String> documents) {
        return TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen, messageWith(documents));
    }

    static void assertRefused(HttpResponse<String> response, String citizen, String... named) {
        assertEquals(400, response.statusCode(), response.body());
        String detail = Json.read(response.body()).path("detail").asText();
        for (String name : named) {
            assertTrue(detail.contains(name), detail);
        }
        assertEquals(0, TestData.messagesFor(citizen), "nothing stored");
    }

    @Test
    void aHostedPdfReachesTheCitizenByteForByte() {
        TestService service = ThirdPartyMessagesIT.sender();
        byte[] bytes = pdf(48_213);
        Declared document = declare(service, "avviso TARI 2026.pdf", "application/pdf", bytes.length);
        assertTrue(document.expiresAt().isAfter(Instant.now()), "valid for minutes");
        assertEquals(200, upload(document, "application/pdf", bytes));
        Declared picture = declare(service, "mappa.png", "image/png", PNG.length);
        assertEquals(200, upload(picture, "image/png", PNG));

        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        HttpResponse<String> sent = submit(service, citizen, List.of(document.id(), picture.id()));
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Json.read(sent.body()).path("id").asText();
        InboxIT.awaitStatus(service, citizen, id, "PROCESSED");

        HttpResponse<String> read = ThirdPartyMessagesIT.citizen(token, "/third-party-messages/" + id);
        assertEquals(200, read.statusCode(), read.body());
        JsonNode message = Json.read(read.body());
        JsonNode data = message.path("content").path("third_party_data");
        assertEquals(id, data.path("id").asText(), "the platform sets third_party_data itself");
        assertTrue(data.path("has_attachments").asBoolean());
        JsonNode attachments = message.path("third_party_message").path("attachments");
        assertEquals(2, attachments.size());
        assertEquals(document.id(), attachments.get(0).path("url").asText());
        assertEquals("avviso TARI 2026.pdf", attachments.get(0).path("name").asText());
        assertEquals("image/png", attachments.get(1).path("content_type").asText());

        HttpResponse<byte[]> streamed = ThirdPartyMessagesIT.citizenBytes(token,
                "/third-party-messages/" + id + "/attachments/" + document.id());
        assertEquals(200, streamed.statusCode());
        assertEquals("application/pdf", streamed.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(bytes, streamed.body());
        assertEquals(204, ThirdPartyMessagesIT.citizen(token, "/third-party-messages/" + id + "/precondition").statusCode());

        String intruder = CitizenApiIT.token(TestData.citizen());
        for (String path : List.of("", "/precondition", "/attachments/" + document.id())) {
            assertEquals(404, ThirdPartyMessagesIT.citizenBytes(intruder, "/third-party-messages/" + id + path).statusCode(), path);
        }
        assertEquals(404, ThirdPartyMessagesIT.citizenBytes(token, "/third-party-messages/" + id + "/attachments/"
                + "01ARZ3NDEKTSV4RRFFQ69G5FAV").statusCode(), "not one of its documents");

        // A document goes into one message only.
        String other = TestData.citizen();
        assertRefused(submit(service, other, List.of(document.id())), other, "content.documents[0]", "another message");
    }

    @Test
    void aLargeDocumentIsARedirectToAPresignedDownloadValidForAMinute() {
        TestService service = ThirdPartyMessagesIT.sender();
        byte[] bytes = pdf(5 * 1024 * 1024);
        Declared document = declare(service, "allegato.pdf", "application/pdf", bytes.length);
        assertEquals(200, upload(document, "application/pdf", bytes));
        String citizen = TestData.citizen();
        HttpResponse<String> sent = submit(service, citizen, List.of(document.id()));
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Json.read(sent.body()).path("id").asText();
        InboxIT.awaitStatus(service, citizen, id, "PROCESSED");
        HttpResponse<byte[]> redirect = ThirdPartyMessagesIT.citizenBytes(CitizenApiIT.token(citizen),
                "/third-party-messages/" + id + "/attachments/" + document.id());
        assertEquals(302, redirect.statusCode());
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertTrue(location.getRawQuery().contains("X-Amz-Expires=60"), location.toString());
        try {
            HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(location).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode());
            assertArrayEquals(bytes, download.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theUploadUrlIsBoundToTheDeclaredTypeAndSize() {
        TestService service = ThirdPartyMessagesIT.sender();
        byte[] bytes = pdf(1000);
        Declared document = declare(service, "verbale.pdf", "application/pdf", bytes.length);
        assertEquals(403, upload(document, "image/png", bytes), "another Content-Type");
        assertEquals(403, upload(document, "application/pdf", pdf(999)), "another length");
        String citizen = TestData.citizen();
        assertRefused(submit(service, citizen, List.of(document.id())), citizen, "content.documents[0]", "never uploaded");
    }

    @Test
    void bytesThatAreNotWhatWasDeclaredAreRefusedAtSubmission() {
        TestService service = ThirdPartyMessagesIT.sender();
        Declared disguised = declare(service, "verbale.pdf", "application/pdf", PNG.length);
        assertEquals(200, upload(disguised, "application/pdf", PNG), "S3 checks the headers, not the bytes");
        byte[] html = "<html><body>not a document</body></html>".getBytes(StandardCharsets.UTF_8);
        Declared script = declare(service, "pagina.pdf", "application/pdf", html.length);
        assertEquals(200, upload(script, "application/pdf", html));
        String citizen = TestData.citizen();
        assertRefused(submit(service, citizen, List.of(disguised.id(), script.id())), citizen,
                "content.documents[0]", "content.documents[1]", "first bytes");
    }

    @Test
    void unknownForeignTooManyAndExpiredDocumentsAreRefused() {
        TestService service = ThirdPartyMessagesIT.sender();
        TestService other = ThirdPartyMessagesIT.sender();
        Declared foreign = declare(other, "altro.pdf", "application/pdf", 100);
        assertEquals(200, upload(foreign, "application/pdf", pdf(100)));
        String citizen = TestData.citizen();
        assertRefused(submit(service, citizen, List.of(foreign.id(), "01ARZ3NDEKTSV4RRFFQ69G5FAV")), citizen,
                "content.documents[0]: no such document", "content.documents[1]: no such document");

        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(dev.ioserverless.common.Ulid.next());
        }
        assertRefused(submit(service, citizen, eleven), citizen, "content.documents", "1 to 10");
        assertRefused(submit(service, citizen, List.of(foreign.id(), foreign.id())), citizen, "content.documents[1]");

        // Ten is the limit, and it is allowed.
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Declared d = declare(service, "allegato-" + i + ".pdf", "application/pdf", 64);
            assertEquals(200, upload(d, "application/pdf", pdf(64)));
            ten.add(d.id());
        }
        HttpResponse<String> accepted = submit(service, TestData.citizen(), ten);
        assertEquals(201, accepted.statusCode(), accepted.body());

        // An upload no message takes expires with the bucket's lifecycle rule (uploads/, one day).
        Declared late = declare(service, "tardivo.pdf", "application/pdf", 64);
        assertEquals(200, upload(late, "application/pdf", pdf(64)));
        runLifecycle(Instant.now().plus(Duration.ofHours(12)));
        HttpResponse<String> stillThere = submit(service, citizen, List.of(late.id()));
        assertEquals(201, stillThere.statusCode(), "half a day later it is still there: " + stillThere.body());
        Declared expired = declare(service, "scaduto.pdf", "application/pdf", 64);
        assertEquals(200, upload(expired, "application/pdf", pdf(64)));
        runLifecycle(Instant.now().plus(Duration.ofDays(2)));
        String nobody = TestData.citizen();
        assertRefused(submit(service, nobody, List.of(expired.id())), nobody, "content.documents[0]", "expired");
    }

    static void runLifecycle(Instant now) {
        HttpResponse<String> run = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/s3/lifecycle/run?now=" + now))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, run.statusCode(), run.body());
    }

    @Test
    void aBadDeclarationIsA400NamingTheField() {
        TestService service = ThirdPartyMessagesIT.sender();
        for (String[] bad : new String[][] {
                {"{\"name\":\"a.exe\",\"content_type\":\"application/x-msdownload\",\"size\":10}", "content_type"},
                {"{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\",\"size\":10485761}", "size"},
                {"{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\",\"size\":0}", "size"},
                {"{\"name\":\"../../etc/passwd\",\"content_type\":\"application/pdf\",\"size\":10}", "name"},
                {"{\"content_type\":\"application/pdf\",\"size\":10}", "name"}}) {
            HttpResponse<String> refused = ThirdPartyMessagesIT.services("POST", service.primaryKey(), "/api/v1/documents", bad[0]);
            assertEquals(400, refused.statusCode(), bad[0]);
            assertTrue(Json.read(refused.body()).path("detail").asText().startsWith(bad[1]), refused.body());
        }
    }
}
