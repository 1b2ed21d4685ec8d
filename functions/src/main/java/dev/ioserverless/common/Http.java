package dev.ioserverless.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reading API Gateway HTTP API (payload 2.0) requests and writing their responses. */
public final class Http {
    public static final int MAX_BODY_BYTES = 256 * 1024;

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

    /** The raw body as bytes, decoding base64 when API Gateway marked it so. */
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
        return body.getBytes(StandardCharsets.UTF_8);
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
        JsonNode node;
        try {
            node = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
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
