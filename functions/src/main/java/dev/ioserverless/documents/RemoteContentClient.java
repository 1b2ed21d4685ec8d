package dev.ioserverless.documents;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Json;
import dev.ioserverless.documents.RemoteContentException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches a third-party message's details, precondition and attachments from the public body's
 * server, on the citizen's behalf, per IO's remote-content contract:
 * {@code GET {base}/messages/{id}}, {@code GET {base}/messages/{id}/precondition} and
 * {@code GET {base}/messages/{id}/{attachment_url}}, each with the header
 * {@code fiscal_code: <the citizen's fiscal code>} and the endpoint's auth header.
 *
 * <p>The body's server is treated as hostile. The client speaks a minimal HTTP/1.1 itself over a
 * socket connected to the address {@link AddressPolicy#vet} returned, so the name is resolved
 * once and checked (TLS verifies the certificate for the host name, with SNI). It bounds the
 * connect ({@value #DEFAULT_CONNECT_TIMEOUT_MS} ms by default), every read
 * ({@value #DEFAULT_READ_TIMEOUT_MS} ms) and the whole exchange ({@value #DEFAULT_DEADLINE_MS}
 * ms: a server trickling a byte at a time is cut off at the deadline), and reads at most
 * {@value #MAX_HEADER_BYTES} bytes of status line and headers, {@value #MAX_JSON_BYTES} bytes of
 * details or precondition and {@value #MAX_ATTACHMENT_BYTES} bytes of attachment, whatever
 * {@code Content-Length} says. It never follows a redirect, refuses any transfer or content
 * encoding but {@code chunked}, reads no body of an answer that is not 2xx, and accepts only JSON
 * of the documented shape and only PDF, PNG or JPEG attachments whose bytes match their declared
 * type. Every failure is a {@link RemoteContentException}; the client logs nothing.
 *
 * <p>Path segments: the id is one segment, the attachment url a path relative to
 * {@code /messages/{id}/} whose segments are split on {@code /} (one leading {@code /} is
 * dropped). Each segment is percent-encoded as UTF-8, everything but {@code A-Z a-z 0-9 - . _ ~}
 * encoded (so {@code /} inside the id, {@code ?}, {@code #} and {@code %} never act as syntax:
 * {@code %2F} is sent as {@code %252F}). A segment that is empty, {@code .} or {@code ..}, or that
 * holds a {@code .} or {@code ..} piece between {@code /} or {@code \} (which a server decoding
 * {@code %2F} or {@code %5C} would see as a dot segment), or an unpaired surrogate, is refused with
 * {@link Kind#BAD_REQUEST}; so are an id over 1000 and an attachment url over 2000 characters.
 *
 * <p>Thread-safe; build one per container.
 */
public final class RemoteContentClient {
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    public static final long DEFAULT_READ_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_DEADLINE_MS = 8_000;
    /** The most bytes of status line, headers (and chunked trailers) read. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The most bytes of a details or precondition body. */
    public static final int MAX_JSON_BYTES = 256 * 1024;
    /**
     * The most bytes of an attachment: the citizen API answers it base64-encoded (a third more)
     * within Lambda's 6 MB response.
     */
    public static final int MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;
    /** The most attachments a message's details may list. */
    public static final int MAX_ATTACHMENTS = 100;

    static final String USER_AGENT = "io-serverless-remote-content/1";
    private static final int MAX_HEADERS = 100;
    private static final int MAX_CHUNK_LINE = 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([0-9]{3})(?: [^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");
    private static final Pattern CATEGORY = Pattern.compile("[A-Z0-9_]{2,30}");
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final String ACCEPT_JSON = "application/json";
    private static final String ACCEPT_ATTACHMENT = "application/pdf, image/png, image/jpeg, application/octet-stream";

    private final AddressPolicy policy;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration deadline;
    private final SSLSocketFactory tls;
    private final LongSupplier nanoTime;

    /** A client with the default timeouts and the JDK's default TLS trust. */
    public RemoteContentClient(AddressPolicy policy) {
        this(policy, Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS), Duration.ofMillis(DEFAULT_READ_TIMEOUT_MS),
                Duration.ofMillis(DEFAULT_DEADLINE_MS));
    }

    /** A client with these timeouts and the JDK's default TLS trust. */
    public RemoteContentClient(AddressPolicy policy, Duration connectTimeout, Duration readTimeout, Duration deadline) {
        this(policy, connectTimeout, readTimeout, deadline, null);
    }

    /**
     * A client with these timeouts, each positive, and {@code tls} for https (null: the JDK's
     * default, which trusts the JDK's CA certificates).
     */
    public RemoteContentClient(AddressPolicy policy, Duration connectTimeout, Duration readTimeout, Duration deadline,
            SSLSocketFactory tls) {
        this(policy, connectTimeout, readTimeout, deadline, tls, System::nanoTime);
    }

    /** As above, reading time from {@code nanoTime} (tests step it; the deadline's watchdog stays on real time). */
    RemoteContentClient(AddressPolicy policy, Duration connectTimeout, Duration readTimeout, Duration deadline,
            SSLSocketFactory tls, LongSupplier nanoTime) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        this.readTimeout = positive(readTimeout, "readTimeout");
        this.deadline = positive(deadline, "deadline");
        this.tls = tls;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": must be positive and at most Integer.MAX_VALUE ms");
        }
        return value;
    }

    /**
     * {@code GET {base}/messages/{id}}: the message's details and attachments.
     *
     * @throws RemoteContentException with the outcome's kind
     */
    public ThirdPartyDetails details(RemoteEndpoint endpoint, String thirdPartyId, String fiscalCode) {
        String path = "/messages/" + idSegment(thirdPartyId);
        Response response = ok(exchange(endpoint, path, ACCEPT_JSON, MAX_JSON_BYTES, fiscalCode), endpoint);
        return readDetails(json(response, endpoint), host(endpoint));
    }

    /**
     * {@code GET {base}/messages/{id}/precondition}: what the citizen must accept first.
     *
     * @throws RemoteContentException with the outcome's kind
     */
    public ThirdPartyPrecondition precondition(RemoteEndpoint endpoint, String thirdPartyId, String fiscalCode) {
        String path = "/messages/" + idSegment(thirdPartyId) + "/precondition";
        Response response = ok(exchange(endpoint, path, ACCEPT_JSON, MAX_JSON_BYTES, fiscalCode), endpoint);
        JsonNode root = json(response, endpoint);
        String host = host(endpoint);
        if (!root.isObject()) {
            throw badGateway(host, "the precondition is not a JSON object");
        }
        String title = text(root, "title", 1, 1000, true, host, "precondition");
        String markdown = text(root, "markdown", 1, 100_000, true, host, "precondition");
        return new ThirdPartyPrecondition(title, markdown);
    }

    /**
     * {@code GET {base}/messages/{id}/{attachment_url}}: an attachment's bytes, accepted only as a
     * PDF, PNG or JPEG whose first bytes agree with the declared {@code Content-Type}
     * ({@code application/octet-stream} or none: the bytes decide).
     *
     * @throws RemoteContentException with the outcome's kind
     */
    public AttachmentContent attachment(RemoteEndpoint endpoint, String thirdPartyId, String attachmentUrl,
            String fiscalCode) {
        String path = "/messages/" + idSegment(thirdPartyId) + "/" + attachmentPath(attachmentUrl);
        Response response = ok(exchange(endpoint, path, ACCEPT_ATTACHMENT, MAX_ATTACHMENT_BYTES, fiscalCode), endpoint);
        String detected = MediaTypes.detect(response.body).orElse(null);
        if (detected == null) {
            throw new RemoteContentException(Kind.UNSUPPORTED_MEDIA_TYPE,
                    "remote content at " + host(endpoint) + ": the attachment is not a PDF, PNG or JPEG");
        }
        String declared = mediaType(response.header("content-type"));
        if (declared.equals("image/jpg")) {
            declared = "image/jpeg";
        }
        if (!(declared.isEmpty() || declared.equals("application/octet-stream") || declared.equals(detected))) {
            throw new RemoteContentException(Kind.UNSUPPORTED_MEDIA_TYPE,
                    "remote content at " + host(endpoint) + ": the attachment's declared type does not match its content");
        }
        return new AttachmentContent(response.body, detected);
    }

    // ---- paths

    private static String idSegment(String id) {
        if (id == null || id.isEmpty() || id.length() > 1000) {
            throw badRequest("id: must be 1 to 1000 characters");
        }
        return segment(id, "id");
    }

    private static String attachmentPath(String url) {
        if (url == null || url.isEmpty() || url.length() > 2000) {
            throw badRequest("attachment url: must be 1 to 2000 characters");
        }
        String relative = url.startsWith("/") ? url.substring(1) : url;
        StringBuilder path = new StringBuilder();
        for (String segment : relative.split("/", -1)) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(segment(segment, "attachment url"));
        }
        return path.toString();
    }

    private static String segment(String value, String what) {
        if (value.isEmpty()) {
            throw badRequest(what + ": must not have an empty segment");
        }
        for (String piece : value.split("[/\\\\]", -1)) {
            if (piece.equals(".") || piece.equals("..")) {
                throw badRequest(what + ": must not have a . or .. segment");
            }
        }
        byte[] bytes;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            bytes = Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw badRequest(what + ": must not contain an unpaired surrogate");
        }
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    // ---- the exchange

    /** A response: its status, its headers by lower-case name, its body (empty unless 2xx). */
    static final class Response {
        final int status;
        final Map<String, List<String>> headers;
        final byte[] body;

        Response(int status, Map<String, List<String>> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private static Response ok(Response response, RemoteEndpoint endpoint) {
        int status = response.status;
        if (status >= 200 && status <= 299) {
            return response;
        }
        String host = host(endpoint);
        if (status == 404) {
            throw new RemoteContentException(Kind.NOT_FOUND, "remote content at " + host + ": not found (404)");
        }
        if (status == 410) {
            throw new RemoteContentException(Kind.GONE, "remote content at " + host + ": gone (410)");
        }
        if (status >= 300 && status <= 399) {
            throw badGateway(host, "answered a redirect (" + status + "), which is not followed");
        }
        throw badGateway(host, "answered " + status);
    }

    private Response exchange(RemoteEndpoint endpoint, String relativePath, String accept, int cap, String fiscalCode) {
        if (!FiscalCode.isValid(fiscalCode)) {
            throw badRequest("fiscal code: not a valid fiscal code");
        }
        URI base = endpoint.baseUrl();
        String host = host(endpoint);
        long deadlineAt = nanoTime.getAsLong() + deadline.toNanos();
        InetAddress address = policy.vet(base);
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        int defaultPort = https ? 443 : 80;
        int port = base.getPort() == -1 ? defaultPort : base.getPort();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        while (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        String request = "GET " + basePath + relativePath + " HTTP/1.1\r\n"
                + "Host: " + host + (port == defaultPort ? "" : ":" + port) + "\r\n"
                + "Accept: " + accept + "\r\n"
                + "User-Agent: " + USER_AGENT + "\r\n"
                + "fiscal_code: " + fiscalCode + "\r\n"
                + endpoint.headerName() + ": " + endpoint.key() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";

        Socket raw = new Socket();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = Watchdog.EXECUTOR.schedule(() -> {
            expired.set(true);
            closeQuietly(raw);
        }, Math.max(0, deadlineAt - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
        try {
            raw.connect(new InetSocketAddress(address, port), timeoutMillis(connectTimeout, deadlineAt, host));
            Socket socket = raw;
            if (https) {
                socket = handshake(raw, host, port, deadlineAt);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new Wire(socket, deadlineAt, host).response(cap);
        } catch (RemoteContentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (expired.get() || nanoTime.getAsLong() - deadlineAt >= 0 || timedOut(e)) {
                throw timeout(host);
            }
            if (e instanceof ConnectException) {
                throw badGateway(host, "refused the connection");
            }
            if (e instanceof SSLException) {
                throw badGateway(host, "the TLS connection failed");
            }
            throw badGateway(host, "the connection failed");
        } finally {
            watchdog.cancel(false);
            closeQuietly(raw);
        }
    }

    private Socket handshake(Socket raw, String host, int port, long deadlineAt) throws IOException {
        SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket socket = (SSLSocket) factory.createSocket(raw, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!name.contains(":") && !name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            } catch (IllegalArgumentException e) {
                throw new SSLException("not a host name for SNI");
            }
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(timeoutMillis(readTimeout, deadlineAt, host));
        socket.startHandshake();
        return socket;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The socket timeout for the next step: its own limit or what is left of the deadline, the shorter. */
    private int timeoutMillis(Duration limit, long deadlineAt, String host) {
        long remaining = deadlineAt - nanoTime.getAsLong();
        if (remaining <= 0) {
            throw timeout(host);
        }
        long remainingMillis = (remaining + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(limit.toMillis(), remainingMillis));
    }

    /** Reads one response off the socket, every read bounded by the read timeout and the deadline. */
    private final class Wire {
        private final Socket socket;
        private final InputStream in;
        private final long deadlineAt;
        private final String host;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        private int headerBudget = MAX_HEADER_BYTES;

        Wire(Socket socket, long deadlineAt, String host) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadlineAt = deadlineAt;
            this.host = host;
        }

        Response response(int cap) throws IOException {
            String statusLine = headerLine();
            Matcher matcher = STATUS_LINE.matcher(statusLine);
            if (!matcher.matches()) {
                throw badGateway(host, "answered something that is not HTTP/1.1");
            }
            int status = Integer.parseInt(matcher.group(1));
            Map<String, List<String>> headers = headers();
            if (status < 200) {
                throw badGateway(host, "answered an unexpected informational status (" + status + ")");
            }
            if (status > 299 || status == 204) {
                return new Response(status, headers, new byte[0]);
            }
            String encoding = single(headers, "content-encoding");
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                throw badGateway(host, "answered with a content encoding, which was not asked for");
            }
            List<String> transfer = headers.get("transfer-encoding");
            List<String> lengths = headers.get("content-length");
            if (transfer != null) {
                if (lengths != null || transfer.size() != 1 || !transfer.get(0).equalsIgnoreCase("chunked")) {
                    throw badGateway(host, "answered a transfer encoding other than chunked");
                }
                return new Response(status, headers, chunked(cap));
            }
            if (lengths != null) {
                String length = lengths.get(0);
                for (String other : lengths) {
                    if (!other.equals(length)) {
                        throw badGateway(host, "answered conflicting Content-Length headers");
                    }
                }
                if (!length.matches("[0-9]{1,18}")) {
                    throw badGateway(host, "answered a malformed Content-Length");
                }
                long declared = Long.parseLong(length);
                if (declared > cap) {
                    throw tooLarge(cap);
                }
                return new Response(status, headers, exactly((int) declared));
            }
            return new Response(status, headers, untilClose(cap));
        }

        private Map<String, List<String>> headers() throws IOException {
            Map<String, List<String>> headers = new TreeMap<>();
            for (int count = 0; ; count++) {
                String line = headerLine();
                if (line.isEmpty()) {
                    return headers;
                }
                if (count >= MAX_HEADERS) {
                    throw badGateway(host, "answered more than " + MAX_HEADERS + " headers");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !line.substring(0, colon).chars().allMatch(RemoteEndpoint::isTokenChar)) {
                    throw badGateway(host, "answered a malformed header");
                }
                String value = line.substring(colon + 1).strip();
                if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw badGateway(host, "answered a malformed header");
                }
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(value);
            }
        }

        private String single(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            if (values == null) {
                return null;
            }
            if (values.size() != 1) {
                throw badGateway(host, "answered the header " + name + " more than once");
            }
            return values.get(0);
        }

        /** One CRLF-terminated line of the head, counted against {@link #MAX_HEADER_BYTES}. */
        private String headerLine() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = read();
                if (c < 0) {
                    throw badGateway(host, "closed the connection before the end of the headers");
                }
                if (--headerBudget < 0) {
                    throw badGateway(host, "answered more than " + MAX_HEADER_BYTES + " bytes of headers");
                }
                if (c == '\n') {
                    if (line.length() == 0 || line.charAt(line.length() - 1) != '\r') {
                        throw badGateway(host, "answered a line not ending in CRLF");
                    }
                    line.setLength(line.length() - 1);
                    if (line.length() > 0 && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                        throw badGateway(host, "answered a folded header");
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
        }

        private byte[] chunked(int cap) throws IOException {
            byte[] body = new byte[Math.min(cap, 64 * 1024)];
            int size = 0;
            while (true) {
                String line = chunkLine();
                int semicolon = line.indexOf(';');
                String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
                if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                    throw badGateway(host, "answered a malformed chunk");
                }
                long chunk = Long.parseLong(hex, 16);
                if (chunk == 0) {
                    while (!headerLine().isEmpty()) {
                        // trailers: read within the header budget and dropped
                    }
                    return Arrays.copyOf(body, size);
                }
                if (size + chunk > cap) {
                    throw tooLarge(cap);
                }
                int end = size + (int) chunk;
                if (end > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(cap, Math.max(end, 2L * body.length)));
                }
                fill(body, size, (int) chunk);
                size = end;
                if (!chunkLine().isEmpty()) {
                    throw badGateway(host, "answered a chunk longer than its size");
                }
            }
        }

        private String chunkLine() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = read();
                if (c < 0) {
                    throw badGateway(host, "closed the connection in the middle of the body");
                }
                if (c == '\n') {
                    if (line.length() == 0 || line.charAt(line.length() - 1) != '\r') {
                        throw badGateway(host, "answered a chunk line not ending in CRLF");
                    }
                    return line.substring(0, line.length() - 1);
                }
                if (line.length() >= MAX_CHUNK_LINE) {
                    throw badGateway(host, "answered a malformed chunk");
                }
                line.append((char) c);
            }
        }

        private byte[] exactly(int length) throws IOException {
            byte[] body = new byte[length];
            fill(body, 0, length);
            return body;
        }

        private void fill(byte[] target, int offset, int length) throws IOException {
            int done = 0;
            while (done < length) {
                if (position == limit && !refill()) {
                    throw badGateway(host, "closed the connection in the middle of the body");
                }
                int n = Math.min(length - done, limit - position);
                System.arraycopy(buffer, position, target, offset + done, n);
                position += n;
                done += n;
            }
        }

        private byte[] untilClose(int cap) throws IOException {
            byte[] body = new byte[Math.min(cap, 64 * 1024)];
            int size = 0;
            while (position < limit || refill()) {
                int n = limit - position;
                if ((long) size + n > cap) {
                    throw tooLarge(cap);
                }
                if (size + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(cap, Math.max(size + n, 2L * body.length)));
                }
                System.arraycopy(buffer, position, body, size, n);
                size += n;
                position = limit;
            }
            return Arrays.copyOf(body, size);
        }

        private int read() throws IOException {
            if (position == limit && !refill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        /** Reads what the socket has, within the read timeout and the deadline; false at the end of the stream. */
        private boolean refill() throws IOException {
            socket.setSoTimeout(timeoutMillis(readTimeout, deadlineAt, host));
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        private RemoteContentException tooLarge(int cap) {
            return badGateway(host, "answered more than " + cap + " bytes");
        }
    }

    // ---- the answers

    private static JsonNode json(Response response, RemoteEndpoint endpoint) {
        String host = host(endpoint);
        String type = mediaType(response.header("content-type"));
        if (!(type.isEmpty() || type.equals("application/json") || type.equals("text/json") || type.endsWith("+json"))) {
            throw badGateway(host, "answered a type that is not JSON");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(response.body)).toString();
        } catch (CharacterCodingException e) {
            throw badGateway(host, "answered text that is not UTF-8");
        }
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            throw badGateway(host, "answered malformed JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw badGateway(host, "answered malformed JSON");
        }
        if (!cleanText(root)) {
            throw badGateway(host, "answered JSON text with NUL or an unpaired surrogate");
        }
        return root;
    }

    /** Whether every key and string in the tree is free of NUL and unpaired surrogates. */
    private static boolean cleanText(JsonNode node) {
        if (node.isTextual()) {
            return clean(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!clean(field.getKey()) || !cleanText(field.getValue())) {
                    return false;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!cleanText(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean clean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static ThirdPartyDetails readDetails(JsonNode root, String host) {
        if (!root.isObject()) {
            throw badGateway(host, "the details are not a JSON object");
        }
        JsonNode details = root.get("details");
        if (details == null || !details.isObject()) {
            throw badGateway(host, "the details lack the details object");
        }
        text(details, "subject", 10, 120, false, host, "details.details");
        text(details, "markdown", 80, 10_000, false, host, "details.details");
        List<ThirdPartyAttachment> attachments = new ArrayList<>();
        JsonNode list = root.get("attachments");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw badGateway(host, "the details' attachments are not a list");
            }
            if (list.size() > MAX_ATTACHMENTS) {
                throw badGateway(host, "the details list more than " + MAX_ATTACHMENTS + " attachments");
            }
            for (JsonNode item : list) {
                if (!item.isObject()) {
                    throw badGateway(host, "an attachment is not a JSON object");
                }
                String id = text(item, "id", 1, 1000, true, host, "attachment");
                String url = text(item, "url", 1, 1000, true, host, "attachment");
                String contentType = optionalText(item, "content_type", 255, host);
                String name = optionalText(item, "name", 255, host);
                JsonNode category = item.get("category");
                String categoryText = category != null && category.isTextual() && CATEGORY.matcher(category.textValue()).matches()
                        ? category.textValue() : ThirdPartyAttachment.DEFAULT_CATEGORY;
                attachments.add(new ThirdPartyAttachment(id, url, contentType, name, categoryText));
            }
        }
        return new ThirdPartyDetails(attachments, (ObjectNode) details);
    }

    private static String text(JsonNode parent, String field, int min, int max, boolean notBlank, String host,
            String where) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual()) {
            throw badGateway(host, where + "." + field + ": missing or not a string");
        }
        String text = value.textValue();
        if (text.length() < min || text.length() > max || (notBlank && text.isBlank())) {
            throw badGateway(host, where + "." + field + ": must be " + min + " to " + max + " characters");
        }
        return text;
    }

    private static String optionalText(JsonNode parent, String field, int max, String host) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return text(parent, field, 1, max, true, host, "attachment");
    }

    /** The media type of a Content-Type, lower case, without parameters; "" when absent. */
    private static String mediaType(String contentType) {
        return MediaTypes.essence(contentType);
    }

    // ---- outcomes

    private static String host(RemoteEndpoint endpoint) {
        return endpoint.baseUrl().getHost();
    }

    private static RemoteContentException badGateway(String host, String reason) {
        return new RemoteContentException(Kind.BAD_GATEWAY, "remote content at " + host + ": " + reason);
    }

    private static RemoteContentException timeout(String host) {
        return new RemoteContentException(Kind.TIMEOUT, "remote content at " + host + ": did not answer in time");
    }

    private static RemoteContentException badRequest(String detail) {
        return new RemoteContentException(Kind.BAD_REQUEST, "remote content: " + detail);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /** Closes the socket of an exchange that outlives its deadline, whatever it is blocked in. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "remote-content-deadline");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
