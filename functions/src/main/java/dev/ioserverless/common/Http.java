package dev.ioserverless.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reading API Gateway HTTP API (payload 2.0) requests and writing their responses. */
public final class Http {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Request bodies: one JSON value, and a key given twice is an error rather than "the last one wins". */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT_READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private Http() {
    }

    public static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> entry : event.getHeaders().entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** The request's method in upper case (from the HTTP context, else the route key); "" when unknown. */
    public static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String method = context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
        if (method == null && event.getRouteKey() != null && event.getRouteKey().contains(" ")) {
            method = event.getRouteKey().substring(0, event.getRouteKey().indexOf(' '));
        }
        return method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
    }

    public static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? null : params.get(name);
    }

    public static String sourceIp(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp();
    }

    /**
     * The raw body as bytes, decoding base64 when API Gateway marked it so. A text body is encoded
     * as UTF-8 strictly: one holding an unpaired surrogate is a 400, never silently a {@code ?}.
     */
    public static byte[] bodyBytes(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.badRequest("body: not valid base64"));
            }
        }
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(body));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new ProblemException(Problem.badRequest("body: not valid Unicode text (an unpaired surrogate)"));
        }
    }

    /**
     * The bytes as UTF-8 text, decoded strictly: an overlong form, an encoded surrogate, a byte
     * that starts no character or a truncated sequence is a 400 naming its offset, never a
     * replacement character or a lenient reading such as {@code C0 BC} as {@code <}.
     */
    static String strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ProblemException(Problem.badRequest("body: not valid UTF-8 (byte " + in.position() + ")"));
        }
        return out.flip().toString();
    }

    /**
     * The body as a JSON object: 415 for a content type other than JSON, 413 over 256 KB, 400 for
     * malformed JSON or anything but an object.
     */
    public static JsonNode jsonObjectBody(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type").orElse("").toLowerCase(Locale.ROOT);
        String mediaType = contentType.split(";", 2)[0].trim();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ProblemException(Problem.of(415, "Unsupported media type",
                    "Content-Type: expected application/json"));
        }
        byte[] bytes = bodyBytes(event);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ProblemException(Problem.of(413, "Payload too large",
                    "body: larger than " + MAX_BODY_BYTES + " bytes"));
        }
        if (bytes.length == 0) {
            throw new ProblemException(Problem.badRequest("body: required, expected a JSON object"));
        }
        String text = strictUtf8(bytes);
        JsonNode node;
        try {
            checkText(text);
            node = STRICT_READER.readTree(text);
        } catch (StreamConstraintsException e) {
            // Nesting depth, number or string length beyond the parser's limits; no location is known.
            throw new ProblemException(Problem.badRequest("body: JSON exceeds the parser's limits"));
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.badRequest(e.getLocation() == null
                    ? "body: malformed JSON"
                    : "body: malformed JSON at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr()));
        } catch (java.io.IOException e) {
            throw new ProblemException(Problem.badRequest("body: unreadable"));
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(Problem.badRequest("body: expected a JSON object"));
        }
        return node;
    }

    /**
     * One streaming pass over the JSON before it becomes a tree: a key given twice in one object,
     * and a key or string value holding NUL or an unpaired surrogate, are 400s naming the field.
     * Other malformations surface as Jackson's own exceptions, as the tree reader would raise them.
     */
    private static void checkText(String text) throws java.io.IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken token;
            while (true) {
                try {
                    token = parser.nextToken();
                } catch (JsonParseException e) {
                    String message = e.getOriginalMessage();
                    if (message != null && message.startsWith("Duplicate field")) {
                        String name = parser.getParsingContext().getCurrentName();
                        String parent = path(parser.getParsingContext().getParent());
                        String field = name != null && fault(name) == null
                                ? (parent.isEmpty() ? name : parent + "." + name) : parent;
                        throw new ProblemException(Problem.badRequest(
                                (field.isEmpty() ? "body" : field) + ": duplicate key"));
                    }
                    throw e;
                }
                if (token == null) {
                    return;
                }
                if (token == JsonToken.FIELD_NAME) {
                    String fault = fault(parser.currentName());
                    if (fault != null) {
                        String parent = path(parser.getParsingContext().getParent());
                        throw new ProblemException(Problem.badRequest(
                                (parent.isEmpty() ? "body" : parent) + ": a key " + fault));
                    }
                } else if (token == JsonToken.VALUE_STRING) {
                    String fault = fault(parser.getText());
                    if (fault != null) {
                        String field = path(parser.getParsingContext());
                        throw new ProblemException(Problem.badRequest((field.isEmpty() ? "body" : field) + ": " + fault));
                    }
                }
            }
        }
    }

    /** What is wrong with a text: NUL or an unpaired surrogate; null when nothing. */
    static String fault(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain NUL (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate";
            }
        }
        return null;
    }

    /** The field a parsing context stands at, as details name fields: {@code content.subject}, {@code messages[0]}. */
    private static String path(JsonStreamContext context) {
        java.util.Deque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            } else if (c.getCurrentName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
            }
        }
        return path.toString();
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(Json.write(body))
                .build();
    }

    public static APIGatewayV2HTTPResponse problem(Problem problem) {
        return problem(problem, Map.of());
    }

    public static APIGatewayV2HTTPResponse problem(Problem problem, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", Problem.CONTENT_TYPE);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(problem.status())
                .withHeaders(all)
                .withBody(Json.write(problem))
                .build();
    }
}
