package dev.ioserverless.services;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** API Gateway HTTP API (payload 2.0) requests for handler tests, built fluently. */
public final class TestRequests {
    public static final String SOURCE_IP = "203.0.113.10";

    private final String method;
    private final String routeKey;
    private final String path;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean base64;
    private String sourceIp = SOURCE_IP;

    private TestRequests(String method, String route, String path) {
        this.method = method;
        this.routeKey = method + " " + route;
        this.path = path;
    }

    /** A request to {@code route} (a template such as {@code /api/v1/messages/{fiscal_code}}) at {@code path}. */
    public static TestRequests request(String method, String route, String path) {
        return new TestRequests(method, route, path);
    }

    public TestRequests pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public TestRequests key(String apiKey) {
        return apiKey == null ? this : header("ocp-apim-subscription-key", apiKey);
    }

    public TestRequests header(String name, String value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    /** A JSON body (with its content type). */
    public TestRequests json(String text) {
        this.body = text;
        return header("content-type", "application/json");
    }

    public TestRequests body(String text, boolean isBase64) {
        this.body = text;
        this.base64 = isBase64;
        return this;
    }

    public TestRequests from(String ip) {
        this.sourceIp = ip;
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(new LinkedHashMap<>(headers))
                .withPathParameters(pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage("$default")
                        .withRouteKey(routeKey)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp(sourceIp)
                                .build())
                        .build())
                .build();
    }
}
