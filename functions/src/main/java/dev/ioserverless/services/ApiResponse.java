package dev.ioserverless.services;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Problem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Services API or citizen API operation answers: status, headers and body text. The pipeline
 * ({@link ServicesApi}) adds the rate-limit headers when it turns it into the Lambda response;
 * an idempotent operation's 2xx answer is stored as it is here and replayed as is. A binary body
 * ({@link #binary}) is base64 text that API Gateway decodes ({@code isBase64Encoded}).
 */
public record ApiResponse(int status, Map<String, String> headers, String body, boolean base64Body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** A text response. */
    public ApiResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, false);
    }

    /** A binary response of this content type: API Gateway sends the client the bytes themselves. */
    public static ApiResponse binary(int status, String contentType, byte[] bytes, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", contentType);
        return new ApiResponse(status, all, java.util.Base64.getEncoder().encodeToString(bytes), true);
    }

    public static ApiResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static ApiResponse json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new ApiResponse(status, all, Json.write(body));
    }

    public static ApiResponse problem(Problem problem) {
        return problem(problem, Map.of());
    }

    public static ApiResponse problem(Problem problem, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", Problem.CONTENT_TYPE);
        return new ApiResponse(problem.status(), all, Json.write(problem));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** This response with more headers (replacing same-named ones). */
    public ApiResponse withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new ApiResponse(status, all, body, base64Body);
    }

    public APIGatewayV2HTTPResponse toLambda() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(new LinkedHashMap<>(headers))
                .withBody(body)
                .withIsBase64Encoded(base64Body)
                .build();
    }
}
