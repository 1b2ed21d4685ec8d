package dev.ioserverless.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's own {@code Auth: { Authorizer: NONE }}, read from the template and honoured by the gateway as API Gateway does. */
class RouteAuthorizerTest {

    private static List<FunctionSpec.HttpRoute> routes(Path dir, String auth) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, String.join("\n",
                "Transform: AWS::Serverless-2016-10-31",
                "Resources:",
                "  Api:",
                "    Type: AWS::Serverless::HttpApi",
                "  Fn:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Handler: x.Y::handleRequest",
                "      Events:",
                "        Open:",
                "          Type: HttpApi",
                "          Properties:",
                "            ApiId: !Ref Api",
                "            Path: /open",
                "            Method: GET",
                auth,
                "        Closed:",
                "          Type: HttpApi",
                "          Properties:",
                "            ApiId: !Ref Api",
                "            Path: /closed",
                "            Method: GET",
                ""));
        Stack stack = new Stack(SamTemplate.load(file), "t", "eu-south-1", "000000000000", Map.of());
        return FunctionSpec.all(stack).get(0).httpRoutes();
    }

    @Test
    void anEventWithAuthorizerNoneIsPublicAndTheOthersKeepTheDefault(@TempDir Path dir) throws Exception {
        List<FunctionSpec.HttpRoute> routes = routes(dir, "            Auth:\n              Authorizer: NONE");
        assertTrue(routes.stream().filter(r -> r.path().equals("/open")).findFirst().orElseThrow().noAuthorizer());
        assertFalse(routes.stream().filter(r -> r.path().equals("/closed")).findFirst().orElseThrow().noAuthorizer());
    }

    @Test
    void anotherPerRouteAuthorizerIsRefusedRatherThanIgnored(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> routes(dir, "            Auth:\n              Authorizer: SomeOtherAuthorizer"));
    }

    @Test
    void theGatewayRunsNoAuthorizerOnAPublicRouteAndItsEventCarriesNoClaims() throws Exception {
        List<APIGatewayV2HTTPEvent> seen = new CopyOnWriteArrayList<>();
        LambdaFunction function = new LambdaFunction() {
            @Override
            public FunctionSpec spec() {
                return null;
            }

            @Override
            public <R> R invoke(Object event, Class<R> resultType) {
                seen.add((APIGatewayV2HTTPEvent) event);
                return resultType.cast(APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "text/plain")).withBody("ok").build());
            }

            @Override
            public String invokeJson(String event) {
                throw new UnsupportedOperationException();
            }
        };
        // An authorizer that accepts nothing: only a public route can be reached.
        try (HttpGateway gateway = new HttpGateway(header -> Optional.empty())) {
            gateway.addRoute("GET", "/open", function, true);
            gateway.addRoute("GET", "/closed", function);
            gateway.markReady();
            int port = gateway.start("127.0.0.1", 0);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/open?token=x"))
                    .header("Authorization", "Bearer not-even-a-jwt").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, open.statusCode());
            assertEquals(1, seen.size());
            assertNull(seen.get(0).getRequestContext().getAuthorizer());
            HttpResponse<String> closed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/closed")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, closed.statusCode());
            assertEquals(1, seen.size());
        }
    }
}
