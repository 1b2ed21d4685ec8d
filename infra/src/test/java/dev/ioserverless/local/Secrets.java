package dev.ioserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.TestLogs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an integration run must never log, and everything it did log.
 *
 * <p>Tests record here every secret and piece of personal data they hand the platform: the API
 * keys they create and send, the JWTs they present, the payment-callback secrets, the subjects
 * and markdowns of the messages they submit and the fiscal codes they name. Most of it is recorded
 * on the way out, by {@link TestPlatform#send} and {@link TestData}. The capture holds every line
 * of the test JVM's output from the moment the shared platform starts: the functions' and the
 * platform's {@code Log} lines (kept by {@link TestLogs}), and everything else written to standard
 * output or standard error (the emulators' own loggers, a container function's stray prints).
 * {@link LogLeaksIT}, which runs last, checks the one against the other.
 */
public final class Secrets {
    /** A fiscal code, omocodia variants included, standing alone (not inside a longer token). */
    static final Pattern FISCAL_CODE = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![A-Za-z0-9])");
    static final Pattern JWT = Pattern.compile("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    /** The local demo's keys and callback secret: 24 random bytes in hex. */
    static final Pattern DEMO_SECRET = Pattern.compile("(?<![0-9a-fA-F])[0-9a-f]{48}(?![0-9a-fA-F])");

    private static final Map<String, String> RECORDED = new LinkedHashMap<>();
    private static final List<String> OUTPUT = new ArrayList<>();
    private static int logMark = -1;

    private Secrets() {
    }

    /** Keeps every line written to stdout and stderr from now on (they still reach the console). Idempotent. */
    static synchronized void startCapture() {
        if (logMark >= 0) {
            return;
        }
        logMark = TestLogs.mark();
        System.setOut(new PrintStream(new Tee(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err), true, StandardCharsets.UTF_8));
    }

    public static void apiKey(String value) {
        record("API key", value);
    }

    public static void jwt(String value) {
        record("JWT", value);
    }

    public static void callbackSecret(String value) {
        record("payment-callback secret", value);
    }

    public static void subject(String value) {
        record("message subject", value);
    }

    public static void markdown(String value) {
        record("message markdown", value);
    }

    public static void fiscalCode(String value) {
        record("fiscal code", value);
    }

    /** A citizen's email address: personal data, never logged. */
    public static void emailAddress(String value) {
        record("email address", value);
    }

    /** An email validation link's token (the key to a citizen's address), and its SHA-256 hash. */
    public static void validationToken(String value) {
        record("email validation token", value);
        if (value != null && value.length() >= MIN_RECORDED_LENGTH) {
            record("email validation token hash", dev.ioserverless.common.Hashing.sha256Hex(value));
        }
    }

    /**
     * Shorter values are bad-input probes ("short", "1"), not secrets or content, and would match
     * inside any timestamp; a fiscal code is recorded when it has a fiscal code's shape.
     */
    static final int MIN_RECORDED_LENGTH = 10;

    private static void record(String kind, String value) {
        if (value == null || value.strip().length() < MIN_RECORDED_LENGTH) {
            return;
        }
        if (kind.equals("fiscal code") && !FISCAL_CODE.matcher(value.toUpperCase(java.util.Locale.ROOT)).matches()) {
            return;
        }
        synchronized (RECORDED) {
            RECORDED.putIfAbsent(value, kind);
        }
    }

    /** The recorded values of one kind (as {@link #apiKey} etc. name them). */
    static List<String> recorded(String kind) {
        synchronized (RECORDED) {
            return RECORDED.entrySet().stream().filter(e -> e.getValue().equals(kind)).map(Map.Entry::getKey).toList();
        }
    }

    /** The secrets of a platform's demo.json. */
    static void demo(JsonNode demo) {
        apiKey(demo.path("api_key").asText(null));
        apiKey(demo.path("limited_api_key").asText(null));
        callbackSecret(demo.path("payment_callback_secret").asText(null));
        fiscalCode(demo.path("citizen_fiscal_code").asText(null));
        emailAddress(demo.path("citizen_email").asText(null));
    }

    /** Records what a request carries: its key, its bearer token, and the content and fiscal codes of its body. */
    static void request(HttpRequest request) {
        request.headers().firstValue("Ocp-Apim-Subscription-Key").ifPresent(Secrets::apiKey);
        request.headers().firstValue("Authorization").ifPresent(value -> jwt(value.replaceFirst("^Bearer\\s+", "")));
        Matcher path = FISCAL_CODE.matcher(request.uri().getPath());
        while (path.find()) {
            fiscalCode(path.group());
        }
        request.bodyPublisher().ifPresent(body -> {
            String text = read(body);
            if (text == null || !text.startsWith("{") && !text.startsWith("[")) {
                return;
            }
            try {
                body(Json.read(text));
            } catch (RuntimeException e) {
                // not JSON: nothing to record (malformed-input tests)
            }
        });
    }

    private static void body(JsonNode node) {
        if (node.isArray()) {
            node.forEach(Secrets::body);
        } else if (node.isObject()) {
            JsonNode content = node.path("content");
            if (content.isObject()) {
                subject(content.path("subject").asText(null));
                markdown(content.path("markdown").asText(null));
            }
            if (node.path("fiscal_code").isTextual()) {
                fiscalCode(node.path("fiscal_code").asText());
            }
            node.forEach(Secrets::body);
        }
    }

    /** A request body, as a subscriber reads it (the publishers tests use can be read again). */
    private static String read(HttpRequest.BodyPublisher publisher) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean[] complete = {false};
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                // unreadable: nothing recorded
            }

            @Override
            public void onComplete() {
                complete[0] = true;
            }
        });
        return complete[0] ? bytes.toString(StandardCharsets.UTF_8) : null;
    }

    /** Every line captured since {@link #startCapture}: the Log lines, then the rest of stdout and stderr. */
    static List<String> captured() {
        List<String> lines = new ArrayList<>(logMark < 0 ? List.of() : TestLogs.since(logMark));
        synchronized (OUTPUT) {
            lines.addAll(OUTPUT);
        }
        return lines;
    }

    /** One finding: what leaked, and the line it leaked in (the value itself masked). */
    record Leak(String kind, String line) {
        @Override
        public String toString() {
            return kind + " in: " + (line.length() > 400 ? line.substring(0, 400) + "..." : line);
        }
    }

    /** The leaks in {@code lines}: any recorded value, any JWT, any clear fiscal code, any demo-format secret. */
    static List<Leak> leaks(List<String> lines) {
        Map<String, String> recorded;
        synchronized (RECORDED) {
            recorded = new LinkedHashMap<>(RECORDED);
        }
        List<Leak> leaks = new ArrayList<>();
        for (String line : lines) {
            String masked = line;
            List<String> kinds = new ArrayList<>();
            for (Map.Entry<String, String> secret : recorded.entrySet()) {
                if (line.contains(secret.getKey())) {
                    kinds.add(secret.getValue());
                    masked = masked.replace(secret.getKey(), "<" + secret.getValue() + ">");
                }
            }
            for (var pattern : Map.of("JWT", JWT, "fiscal code", FISCAL_CODE, "demo key or secret", DEMO_SECRET).entrySet()) {
                Matcher found = pattern.getValue().matcher(masked);
                if (found.find()) {
                    kinds.add(pattern.getKey());
                    masked = found.replaceAll("<" + pattern.getKey() + ">");
                }
            }
            if (!kinds.isEmpty()) {
                leaks.add(new Leak(String.join(", ", kinds), masked));
            }
        }
        return leaks;
    }

    /** Passes everything on, and keeps each complete line. */
    private static final class Tee extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Tee(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            target.write(b);
            keep(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            target.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                keep(bytes[i]);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            target.flush();
        }

        private void keep(int b) {
            if (b != '\n') {
                pending.write(b);
                return;
            }
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (!line.isBlank()) {
                synchronized (OUTPUT) {
                    OUTPUT.add(line);
                }
            }
        }
    }
}
