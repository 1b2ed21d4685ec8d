package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;

/** API Gateway HTTP API (payload 2.0) events for handler tests. */
final class HttpEvents {
    static final String SOURCE_IP = "203.0.113.10";

    private HttpEvents() {
    }

    static APIGatewayV2HTTPEvent submit(String fiscalCode, String body, String apiKey) {
        return submit(fiscalCode, body, apiKey, "application/json", SOURCE_IP);
    }

    static APIGatewayV2HTTPEvent submit(String fiscalCode, String body, String apiKey, String contentType, String ip) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("ocp-apim-subscription-key", apiKey);
        }
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        String path = "/api/v1/messages/" + fiscalCode;
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /api/v1/messages/{fiscal_code}")
                .withRawPath(path)
                .withHeaders(headers)
                .withPathParameters(Map.of("fiscal_code", fiscalCode))
                .withBody(body)
                .withRequestContext(context("POST", path, ip))
                .build();
    }

    static APIGatewayV2HTTPEvent get(String fiscalCode, String id, String apiKey) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("ocp-apim-subscription-key", apiKey);
        }
        String path = "/api/v1/messages/" + fiscalCode + "/" + id;
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("GET /api/v1/messages/{fiscal_code}/{id}")
                .withRawPath(path)
                .withHeaders(headers)
                .withPathParameters(Map.of("fiscal_code", fiscalCode, "id", id))
                .withRequestContext(context("GET", path, SOURCE_IP))
                .build();
    }

    private static APIGatewayV2HTTPEvent.RequestContext context(String method, String path, String ip) {
        return APIGatewayV2HTTPEvent.RequestContext.builder()
                .withStage("$default")
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp(ip).build())
                .build();
    }
}
