package dev.ioserverless.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import java.util.Map;

/** Answers with what it was given: the event's parts and its configuration. */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Config config;

    public EchoHandler(Config config) {
        this.config = config;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ObjectNode body = Json.object();
        body.put("version", event.getVersion());
        body.put("routeKey", event.getRouteKey());
        body.put("rawPath", event.getRawPath());
        body.put("rawQueryString", event.getRawQueryString());
        body.set("pathParameters", Json.MAPPER.valueToTree(event.getPathParameters()));
        body.set("queryStringParameters", Json.MAPPER.valueToTree(event.getQueryStringParameters()));
        body.set("headers", Json.MAPPER.valueToTree(event.getHeaders()));
        body.put("body", event.getBody());
        body.put("isBase64Encoded", event.getIsBase64Encoded());
        body.put("method", event.getRequestContext().getHttp().getMethod());
        body.put("sourceIp", event.getRequestContext().getHttp().getSourceIp());
        body.put("functionName", context.getFunctionName());
        body.set("config", Json.MAPPER.valueToTree(config.asMap()));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "yes"))
                .withBody(Json.write(body))
                .build();
    }
}
