package dev.ioserverless.documents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.documents.RemoteContentException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The remote-content client against raw servers on 127.0.0.1 that misbehave in every way we know of. */
class RemoteContentClientTest {
    static final String KEY = "s3cr3t-body-key-0123456789";
    static final String FISCAL_CODE = "AAAAAA00A00A000A";
    static final String SUBJECT = "Your waste tax notice";
    static final String MARKDOWN = "# TARI 2026\n\n" + "The notice for this year's waste tax is attached. ".repeat(3);
    static final String DETAILS = "{\"attachments\":[{\"id\":\"a1\",\"url\":\"attachments/1\",\"content_type\":\"application/pdf\","
            + "\"name\":\"notice.pdf\",\"category\":\"DOCUMENT\"},{\"id\":\"a2\",\"url\":\"f24\",\"category\":\"f24 lower\"}],"
            + "\"details\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":" + quote(MARKDOWN) + ",\"custom\":{\"amount\":42}},"
            + "\"extra_top_level\":true}";

    private final List<HostileServer> servers = new ArrayList<>();
    private final List<RemoteContentException> seen = new ArrayList<>();

    /** Short timeouts: no test here waits on the defaults. */
    final RemoteContentClient client = new RemoteContentClient(AddressPolicy.allowLoopback(),
            Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMillis(4000));

    @AfterEach
    void closeServersAndCheckMessages() throws IOException {
        for (HostileServer server : servers) {
            server.close();
        }
        for (RemoteContentException e : seen) {
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertFalse(e.getMessage().contains(FISCAL_CODE), e.getMessage());
            assertFalse(e.getMessage().contains("/messages"), e.getMessage());
        }
    }

    static String quote(String text) {
        return dev.ioserverless.common.Json.write(text);
    }

    static String ok(String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length + "\r\n\r\n"
                + new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    HostileServer server(HostileServer.Handler handler) throws IOException {
        HostileServer server = HostileServer.start(handler);
        servers.add(server);
        return server;
    }

    RemoteEndpoint endpoint(HostileServer server) {
        return new RemoteEndpoint(server.base("/remote/v1/"), "X-Body-Key", KEY);
    }

    RemoteContentException failure(Executable call) {
        RemoteContentException e = assertThrows(RemoteContentException.class, call);
        seen.add(e);
        return e;
    }

    Kind detailsKind(HostileServer.Handler handler) throws IOException {
        HostileServer server = server(handler);
        return failure(() -> client.details(endpoint(server), "m1", FISCAL_CODE)).kind();
    }

    Kind detailsKind(String response) throws IOException {
        return detailsKind(HostileServer.answering(response));
    }

    Kind attachmentKind(byte[] response) throws IOException {
        HostileServer server = server(HostileServer.answering(response));
        return failure(() -> client.attachment(endpoint(server), "m1", "attachments/1", FISCAL_CODE)).kind();
    }

    static byte[] pdf(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        byte[] magic = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};

    static byte[] head(String head) {
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- the happy paths, and what the server receives

    @Test
    void detailsAreReadAndTheServerReceivesExactlyTheFiscalCodeAndTheKey() throws Exception {
        HostileServer server = server(HostileServer.answering(ok("application/json; charset=utf-8", DETAILS)));
        ThirdPartyDetails details = client.details(endpoint(server), "m1", FISCAL_CODE);

        assertEquals(SUBJECT, details.subject());
        assertEquals(MARKDOWN, details.markdown());
        assertEquals(42, details.details().path("custom").path("amount").intValue(), "details kept as sent");
        assertEquals(List.of(
                new ThirdPartyAttachment("a1", "attachments/1", "application/pdf", "notice.pdf", "DOCUMENT"),
                new ThirdPartyAttachment("a2", "f24", null, null, "DOCUMENT")), details.attachments());

        String head = server.requests().get(0);
        List<String> lines = Arrays.asList(head.split("\r\n"));
        assertEquals("GET /remote/v1/messages/m1 HTTP/1.1", lines.get(0));
        Set<String> names = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) {
            names.add(line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT));
        }
        assertEquals(new TreeSet<>(List.of("host", "accept", "user-agent", "connection", "fiscal_code", "x-body-key")), names);
        assertTrue(lines.contains("fiscal_code: " + FISCAL_CODE), head);
        assertTrue(lines.contains("X-Body-Key: " + KEY), head);
        assertTrue(lines.contains("Host: 127.0.0.1:" + server.port()), head);
        assertTrue(lines.contains("Connection: close"), head);
    }

    @Test
    void preconditionIsRead() throws Exception {
        HostileServer server = server(HostileServer.answering(ok("application/json",
                "{\"title\":\"Before you open it\",\"markdown\":\"Opening this message records that you read it.\",\"x\":1}")));
        ThirdPartyPrecondition precondition = client.precondition(endpoint(server), "m1", FISCAL_CODE);
        assertEquals(new ThirdPartyPrecondition("Before you open it", "Opening this message records that you read it."),
                precondition);
        assertTrue(server.requests().get(0).startsWith("GET /remote/v1/messages/m1/precondition HTTP/1.1\r\n"));
        assertTrue(server.requests().get(0).contains("\r\nfiscal_code: " + FISCAL_CODE + "\r\n"));
        assertTrue(server.requests().get(0).contains("\r\nX-Body-Key: " + KEY + "\r\n"));
    }

    @Test
    void anAttachmentArrivesByteForByte() throws Exception {
        byte[] pdf = pdf(300_000);
        HostileServer server = server(HostileServer.answering(concat(head(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: " + pdf.length + "\r\n\r\n"), pdf)));
        AttachmentContent content = client.attachment(endpoint(server), "m1", "attachments/1", FISCAL_CODE);
        assertArrayEquals(pdf, content.bytes());
        assertEquals("application/pdf", content.contentType());
        assertTrue(server.requests().get(0).startsWith("GET /remote/v1/messages/m1/attachments/1 HTTP/1.1\r\n"));
    }

    @Test
    void anAttachmentChunkedOrUntilCloseIsReadAndOctetStreamTrustsTheBytes() throws Exception {
        String chunkedPng = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8;ext=1\r\n" + new String(PNG, 0, 8, StandardCharsets.ISO_8859_1) + "\r\n"
                + Integer.toHexString(PNG.length - 8) + "\r\n" + new String(PNG, 8, PNG.length - 8, StandardCharsets.ISO_8859_1)
                + "\r\n0\r\nX-Trailer: 1\r\n\r\n";
        HostileServer png = server(HostileServer.answering(chunkedPng));
        AttachmentContent content = client.attachment(endpoint(png), "m1", "p.png", FISCAL_CODE);
        assertArrayEquals(PNG, content.bytes());
        assertEquals("image/png", content.contentType());

        HostileServer jpeg = server(HostileServer.answering(concat(head("HTTP/1.0 200 OK\r\n\r\n"), JPEG)));
        AttachmentContent photo = client.attachment(endpoint(jpeg), "m1", "p.jpg", FISCAL_CODE);
        assertArrayEquals(JPEG, photo.bytes());
        assertEquals("image/jpeg", photo.contentType());
    }

    @Test
    void theClientConnectsToTheAddressItVettedAndResolvesOnce() throws Exception {
        HostileServer server = server(HostileServer.answering(ok("application/json", DETAILS)));
        AtomicInteger lookups = new AtomicInteger();
        RemoteContentClient named = new RemoteContentClient(AddressPolicy.allowLoopback().withResolver(host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName("127.0.0.1"));
        }), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        RemoteEndpoint endpoint = new RemoteEndpoint(URI.create("http://body.test:" + server.port()), "X-Body-Key", KEY);
        assertEquals(SUBJECT, named.details(endpoint, "m1", FISCAL_CODE).subject());
        assertEquals(1, lookups.get());
        assertTrue(server.requests().get(0).contains("\r\nHost: body.test:" + server.port() + "\r\n"));
    }

    // ---- time

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        HostileServer server = server((head, in, out) -> HostileServer.waitForClientToHangUp(in));
        RemoteContentClient impatient = new RemoteContentClient(AddressPolicy.allowLoopback(),
                Duration.ofMillis(1000), Duration.ofMillis(150), Duration.ofMillis(4000));
        assertEquals(Kind.TIMEOUT, failure(() -> impatient.details(endpoint(server), "m1", FISCAL_CODE)).kind());
        assertEquals(Kind.TIMEOUT,
                failure(() -> impatient.attachment(endpoint(server), "m1", "a", FISCAL_CODE)).kind());
    }

    @Test
    void theDeadlineBoundsTheWholeExchangeWhateverTheReadTimeout() throws Exception {
        HostileServer server = server((head, in, out) -> HostileServer.waitForClientToHangUp(in));
        RemoteContentClient shortDeadline = new RemoteContentClient(AddressPolicy.allowLoopback(),
                Duration.ofMillis(1000), Duration.ofSeconds(30), Duration.ofMillis(150));
        assertEquals(Kind.TIMEOUT, failure(() -> shortDeadline.details(endpoint(server), "m1", FISCAL_CODE)).kind());
    }

    /**
     * A server that sends one byte per second: the client's clock is stepped a second at every
     * reading of it, and each step lets the server send one more byte, so the exchange goes in
     * lockstep without waiting on the wall clock. Each byte arrives well within the read timeout;
     * only the 8 s deadline ends it.
     */
    @Test
    void aTricklingServerIsCutOffAtTheDeadline() throws Exception {
        Semaphore bytesAllowed = new Semaphore(0);
        byte[] response = head(ok("application/json", DETAILS));
        AtomicInteger sent = new AtomicInteger();
        HostileServer server = server((head, in, out) -> {
            for (byte b : response) {
                bytesAllowed.acquire();
                out.write(b);
                out.flush();
                sent.incrementAndGet();
            }
        });
        AtomicLong now = new AtomicLong();
        RemoteContentClient stepped = new RemoteContentClient(AddressPolicy.allowLoopback(),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(8), null, () -> {
                    bytesAllowed.release();
                    return now.getAndAdd(1_000_000_000L);
                });
        assertEquals(Kind.TIMEOUT, failure(() -> stepped.details(endpoint(server), "m1", FISCAL_CODE)).kind());
        assertTrue(sent.get() < 12, "the client stopped after about 8 bytes, not " + sent.get());
    }

    // ---- size

    @Test
    void aContentLengthBeyondTheCapIsRefusedUnread() throws Exception {
        assertEquals(Kind.BAD_GATEWAY, detailsKind(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n{}"));
        assertEquals(Kind.BAD_GATEWAY, detailsKind(
                "HTTP/1.1 200 OK\r\nContent-Length: " + (RemoteContentClient.MAX_JSON_BYTES + 1) + "\r\n\r\n{}"));
        assertEquals(Kind.BAD_GATEWAY, attachmentKind(head(
                "HTTP/1.1 200 OK\r\nContent-Length: " + (RemoteContentClient.MAX_ATTACHMENT_BYTES + 1) + "\r\n\r\n%PDF-")));
    }

    /** A server streaming without end: only a client that stops at the cap and hangs up gets an answer. */
    static HostileServer.Handler endless(String head, Function<byte[], byte[]> framing) {
        return (request, in, out) -> {
            out.write(head(head));
            byte[] block = new byte[16 * 1024];
            Arrays.fill(block, (byte) ' ');
            System.arraycopy("%PDF-".getBytes(StandardCharsets.US_ASCII), 0, block, 0, 5);
            byte[] framed = framing.apply(block);
            while (true) {
                out.write(framed);
            }
        };
    }

    static byte[] chunk(byte[] data) {
        return concat(concat(head(Integer.toHexString(data.length) + "\r\n"), data), head("\r\n"));
    }

    @Test
    void anEndlessBodyIsCutAtTheCapWithOrWithoutLengthAndChunked() throws Exception {
        for (String head : List.of("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":\"",
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")) {
            Function<byte[], byte[]> framing = head.contains("chunked") ? RemoteContentClientTest::chunk : b -> b;
            HostileServer server = server(endless(head, framing));
            RemoteContentException e = failure(() -> client.details(endpoint(server), "m1", FISCAL_CODE));
            assertEquals(Kind.BAD_GATEWAY, e.kind());
            assertEquals("remote content at 127.0.0.1: answered more than " + RemoteContentClient.MAX_JSON_BYTES + " bytes",
                    e.getMessage());
            assertNotNull(server.lastOutcome(), "the client hung up while the server was still sending");
            assertTrue(server.lastOutcome() instanceof IOException, String.valueOf(server.lastOutcome()));

            HostileServer attachments = server(endless(head.replace("application/json", "application/pdf"), framing));
            RemoteContentException big = failure(() -> client.attachment(endpoint(attachments), "m1", "a", FISCAL_CODE));
            assertEquals(Kind.BAD_GATEWAY, big.kind());
            assertTrue(big.getMessage().endsWith("answered more than " + RemoteContentClient.MAX_ATTACHMENT_BYTES + " bytes"),
                    big.getMessage());
            assertTrue(attachments.lastOutcome() instanceof IOException, String.valueOf(attachments.lastOutcome()));
        }
    }

    @Test
    void aLyingContentLengthReadsOnlyThatMuch() throws Exception {
        // says 10 bytes of JSON, sends a whole document: the 10 bytes are not JSON
        assertEquals(Kind.BAD_GATEWAY, detailsKind(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n" + DETAILS));
        // says more than it sends, then closes
        assertEquals(Kind.BAD_GATEWAY, detailsKind(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + DETAILS));
    }

    @Test
    void headersBeyondTheCapAreRefused() throws Exception {
        String many = "X-Pad: " + "a".repeat(1000) + "\r\n";
        assertEquals(Kind.BAD_GATEWAY, detailsKind("HTTP/1.1 200 OK\r\n" + many.repeat(20) + "\r\n"));
        assertEquals(Kind.BAD_GATEWAY, detailsKind("HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n"));
        assertEquals(Kind.BAD_GATEWAY, detailsKind("HTTP/1.1 200 " + "A".repeat(20_000) + "\r\n\r\n"));
    }

    // ---- media types

    @Test
    void anAttachmentThatIsNotWhatItSaysIsUnsupported() throws Exception {
        String html = "<html><body>hello</body></html>";
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, attachmentKind(head(ok("application/pdf", html))));
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, attachmentKind(concat(head(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: " + PNG.length + "\r\n\r\n"), PNG)));
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, attachmentKind(concat(head(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\n"), pdf(9))));
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, attachmentKind(head(ok("application/octet-stream", html))));
        assertEquals(Kind.UNSUPPORTED_MEDIA_TYPE, attachmentKind(head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
    }

    // ---- statuses

    @Test
    void redirectsAreNeverFollowed() throws Exception {
        HostileServer target = server((head, in, out) -> out.write(head(ok("application/json", DETAILS))));
        for (String location : List.of("http://127.0.0.1:" + target.port() + "/remote/v1/messages/m1",
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/")) {
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                assertEquals(Kind.BAD_GATEWAY, detailsKind("HTTP/1.1 " + status + " Moved\r\nLocation: " + location
                        + "\r\nContent-Length: 0\r\n\r\n"));
            }
        }
        assertEquals(0, target.connections(), "the redirect's target was never contacted");
    }

    @Test
    void statusesMapToKinds() throws Exception {
        assertEquals(Kind.NOT_FOUND, detailsKind("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(Kind.GONE, detailsKind("HTTP/1.1 410 Gone\r\n\r\n"));
        for (int status : new int[] {500, 502, 503, 429, 400, 401, 403, 418, 304, 100, 199, 600}) {
            assertEquals(Kind.BAD_GATEWAY, detailsKind("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n"), "" + status);
        }
        HostileServer notFound = server(HostileServer.answering("HTTP/1.1 404 Not Found\r\n\r\n"));
        assertEquals(Kind.NOT_FOUND,
                failure(() -> client.attachment(endpoint(notFound), "m1", "a", FISCAL_CODE)).kind());
        assertEquals(Kind.NOT_FOUND,
                failure(() -> client.precondition(endpoint(notFound), "m1", FISCAL_CODE)).kind());
    }

    @Test
    void malformedHttpIsABadGateway() throws Exception {
        for (String response : List.of(
                "",
                "garbage\r\n\r\n",
                "HTTP/2 200 OK\r\n\r\n{}",
                "HTTP/1.1 200 OK\n\n{}",
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
                "HTTP/1.1 200 OK\r\n folded: header\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad Header: 1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n")) {
            assertEquals(Kind.BAD_GATEWAY, detailsKind(response), response);
        }
    }

    @Test
    void aRefusedConnectionIsABadGateway() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        RemoteEndpoint nobody = new RemoteEndpoint(URI.create("http://127.0.0.1:" + port), "X-Body-Key", KEY);
        assertEquals(Kind.BAD_GATEWAY, failure(() -> client.details(nobody, "m1", FISCAL_CODE)).kind());
    }

    // ---- shapes

    static String details(String subject, String markdown, String attachments) {
        return "{\"attachments\":" + attachments + ",\"details\":{\"subject\":" + subject + ",\"markdown\":" + markdown + "}}";
    }

    static String attachment(String fields) {
        return "[{" + fields + "}]";
    }

    @Test
    void bodiesOfTheWrongShapeAreABadGateway() throws Exception {
        String s = quote(SUBJECT);
        String m = quote(MARKDOWN);
        List<String> bodies = List.of(
                "not json",
                "",
                "[]",
                "null",
                "{\"attachments\":[]}",
                "{\"details\":\"text\"}",
                details(quote("too short"), m, "[]"),
                details(quote("x".repeat(121)), m, "[]"),
                details(s, quote("x".repeat(79)), "[]"),
                details(s, quote("x".repeat(10_001)), "[]"),
                details("42", m, "[]"),
                "{\"details\":{\"markdown\":" + m + "}}",
                details(s, m, "{}"),
                details(s, m, "[1]"),
                details(s, m, "[" + "{\"id\":\"a\",\"url\":\"u\"},".repeat(100) + "{\"id\":\"a\",\"url\":\"u\"}]"),
                details(s, m, attachment("\"url\":\"u\"")),
                details(s, m, attachment("\"id\":\"a\"")),
                details(s, m, attachment("\"id\":\" \",\"url\":\"u\"")),
                details(s, m, attachment("\"id\":\"\",\"url\":\"u\"")),
                details(s, m, attachment("\"id\":1,\"url\":\"u\"")),
                details(s, m, attachment("\"id\":\"a\",\"url\":\"" + "u".repeat(1001) + "\"")),
                details(s, m, attachment("\"id\":\"a\",\"url\":\"u\",\"content_type\":\"" + "t".repeat(256) + "\"")),
                details(s, m, attachment("\"id\":\"a\",\"url\":\"u\",\"name\":\"\"")),
                details(s, m, attachment("\"id\":\"a\",\"url\":\"u\",\"name\":7")),
                details(s, m, "[]") + " trailing",
                details(s, m, "[]") + " {}",
                "{\"details\":{\"subject\":" + s + ",\"subject\":" + s + ",\"markdown\":" + m + "}}",
                details(quote("nul \u0000 in the subject"), m, "[]"),
                details("\"lone \\uD800 surrogate\"", m, "[]"));
        for (String body : bodies) {
            assertEquals(Kind.BAD_GATEWAY, detailsKind(ok("application/json", body)), body);
        }
        assertEquals(Kind.BAD_GATEWAY, detailsKind(ok("text/html", DETAILS)), "not JSON by its type");
        byte[] invalidUtf8 = concat(head("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"),
                new byte[] {'"', (byte) 0xc0, (byte) 0xbc, '"'});
        HostileServer server = server(HostileServer.answering(invalidUtf8));
        assertEquals(Kind.BAD_GATEWAY, failure(() -> client.details(endpoint(server), "m1", FISCAL_CODE)).kind());

        for (String precondition : List.of("{}", "{\"title\":\"t\"}", "{\"title\":1,\"markdown\":\"m\"}",
                "{\"title\":\"\",\"markdown\":\"m\"}", "[\"title\"]")) {
            HostileServer p = server(HostileServer.answering(ok("application/json", precondition)));
            assertEquals(Kind.BAD_GATEWAY, failure(() -> client.precondition(endpoint(p), "m1", FISCAL_CODE)).kind(),
                    precondition);
        }
    }

    @Test
    void anInvalidCategoryFallsBackToDocumentAndNoAttachmentsIsAnEmptyList() throws Exception {
        String body = details(quote(SUBJECT), quote(MARKDOWN),
                "[{\"id\":\"a\",\"url\":\"u\",\"category\":\"PAGOPA\"},{\"id\":\"b\",\"url\":\"v\",\"category\":\"x\"},"
                        + "{\"id\":\"c\",\"url\":\"w\",\"category\":3}]");
        HostileServer server = server(HostileServer.answering(ok("application/json", body)));
        List<ThirdPartyAttachment> attachments = client.details(endpoint(server), "m1", FISCAL_CODE).attachments();
        assertEquals(List.of("PAGOPA", "DOCUMENT", "DOCUMENT"), attachments.stream().map(ThirdPartyAttachment::category).toList());

        HostileServer none = server(HostileServer.answering(ok("application/json",
                "{\"details\":{\"subject\":" + quote(SUBJECT) + ",\"markdown\":" + quote(MARKDOWN) + "}}")));
        assertEquals(List.of(), client.details(endpoint(none), "m1", FISCAL_CODE).attachments());
    }

    // ---- paths

    @Test
    void segmentsArePercentEncodedAndCannotEscapeTheBasePath() throws Exception {
        HostileServer server = server(HostileServer.answering(concat(head("HTTP/1.1 200 OK\r\n\r\n"), PNG)));
        client.attachment(endpoint(server), "id/with?#%2F é", "/files/a b/%2F..%2F/x?y#z", FISCAL_CODE);
        assertTrue(server.requests().get(0).startsWith("GET /remote/v1/messages/id%2Fwith%3F%23%252F%20%C3%A9/files/a%20b/"
                + "%252F..%252F/x%3Fy%23z HTTP/1.1\r\n"), server.requests().get(0));

        for (String url : List.of("..", "../admin", "a/../../admin", "./a", "a/.", "a//b", "a/", "", "/", "a\\..\\b",
                "x".repeat(2001), "a\uD800")) {
            assertEquals(Kind.BAD_REQUEST, failure(() -> client.attachment(endpoint(server), "m1", url, FISCAL_CODE)).kind(), url);
        }
        for (String id : List.of("", ".", "..", "../admin", "a/../b", "a\\..", "x".repeat(1001))) {
            assertEquals(Kind.BAD_REQUEST, failure(() -> client.details(endpoint(server), id, FISCAL_CODE)).kind(), id);
        }
        assertEquals(Kind.BAD_REQUEST, failure(() -> client.details(endpoint(server), null, FISCAL_CODE)).kind());
        assertEquals(Kind.BAD_REQUEST, failure(() -> client.details(endpoint(server), "m1", "aaaaaa00a00a000a")).kind());
        assertEquals(Kind.BAD_REQUEST,
                failure(() -> client.details(endpoint(server), "m1", FISCAL_CODE + "\r\nX-Injected: 1")).kind());
        assertEquals(1, server.connections(), "nothing refused reached the server");
    }

    // ---- the policy, applied

    @Test
    void anAddressThePolicyRefusesIsNeverContacted() throws Exception {
        HostileServer server = server(HostileServer.answering(ok("application/json", DETAILS)));
        RemoteContentClient deployed = new RemoteContentClient(AddressPolicy.publicOnly());
        assertEquals(Kind.BAD_GATEWAY, failure(() -> deployed.details(endpoint(server), "m1", FISCAL_CODE)).kind());
        RemoteEndpoint httpsLoopback = new RemoteEndpoint(URI.create("https://127.0.0.1:" + server.port()), "X-Body-Key", KEY);
        assertEquals(Kind.BAD_GATEWAY, failure(() -> deployed.details(httpsLoopback, "m1", FISCAL_CODE)).kind());
        RemoteContentClient rebinding = new RemoteContentClient(AddressPolicy.allowLoopback().withResolver(
                host -> List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254"))));
        RemoteEndpoint named = new RemoteEndpoint(URI.create("http://body.test:" + server.port()), "X-Body-Key", KEY);
        assertEquals(Kind.BAD_GATEWAY, failure(() -> rebinding.details(named, "m1", FISCAL_CODE)).kind());
        assertEquals(0, server.connections());
    }

    @Test
    void theEndpointNeverShowsItsKey() {
        RemoteEndpoint endpoint = new RemoteEndpoint(URI.create("https://user:pw@body.example/api"), "X-Body-Key", KEY);
        assertFalse(endpoint.toString().contains(KEY), endpoint.toString());
        assertFalse(endpoint.toString().contains("pw"), endpoint.toString());
        assertTrue(endpoint.toString().contains("body.example"));
        for (Executable bad : List.<Executable>of(
                () -> new RemoteEndpoint(URI.create("ftp://body.example"), "X-Key", KEY),
                () -> new RemoteEndpoint(URI.create("/relative"), "X-Key", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example/?q=1"), "X-Key", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example/#f"), "X-Key", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example"), "X Key", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example"), "Host", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example"), "fiscal_code", KEY),
                () -> new RemoteEndpoint(URI.create("https://body.example"), "X-Key", KEY + "\r\nX-Injected: 1"),
                () -> new RemoteEndpoint(URI.create("https://body.example"), "X-Key", ""))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad);
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
        }
    }
}
