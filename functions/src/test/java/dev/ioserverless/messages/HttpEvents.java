package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.services.TestRequests;

/** API Gateway HTTP API (payload 2.0) events of the message routes, for handler tests. */
final class HttpEvents {
    static final String SOURCE_IP = TestRequests.SOURCE_IP;

    private HttpEvents() {
    }

    static APIGatewayV2HTTPEvent submit(String fiscalCode, String body, String apiKey) {
        return submit(fiscalCode, body, apiKey, "application/json", SOURCE_IP);
    }

    static APIGatewayV2HTTPEvent submit(String fiscalCode, String body, String apiKey, String contentType, String ip) {
        return submitRequest(fiscalCode, body, apiKey, contentType, ip).build();
    }

    /** {@code POST /api/v1/messages/{fiscal_code}}, to add headers to before building. */
    static TestRequests submitRequest(String fiscalCode, String body, String apiKey, String contentType, String ip) {
        TestRequests request = TestRequests.request("POST", "/api/v1/messages/{fiscal_code}", "/api/v1/messages/" + fiscalCode)
                .pathParameter("fiscal_code", fiscalCode)
                .key(apiKey)
                .body(body, false)
                .from(ip);
        return contentType == null ? request : request.header("content-type", contentType);
    }

    /** {@code POST /api/v1/messages}, the recipient in the body. */
    static TestRequests submitByBody(String body, String apiKey) {
        return TestRequests.request("POST", "/api/v1/messages", "/api/v1/messages").key(apiKey).json(body);
    }

    /** {@code POST /api/v1/messages/batch}. */
    static TestRequests batch(String body, String apiKey) {
        return TestRequests.request("POST", "/api/v1/messages/batch", "/api/v1/messages/batch").key(apiKey).json(body);
    }

    static APIGatewayV2HTTPEvent get(String fiscalCode, String id, String apiKey) {
        return get("/api/v1", fiscalCode, id, apiKey);
    }

    static APIGatewayV2HTTPEvent get(String base, String fiscalCode, String id, String apiKey) {
        return TestRequests.request("GET", base + "/messages/{fiscal_code}/{id}", base + "/messages/" + fiscalCode + "/" + id)
                .pathParameter("fiscal_code", fiscalCode)
                .pathParameter("id", id)
                .key(apiKey)
                .build();
    }
}
