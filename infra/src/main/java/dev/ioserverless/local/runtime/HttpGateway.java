package dev.ioserverless.local.runtime;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The local API Gateway HTTP API: routes requests to functions by the template's HttpApi events
 * and hands them payload-format 2.0 events, as the deployed gateway does. Paths under
 * {@code /_local/} go to the platform's own routes.
 *
 * <p>The gateway's own errors (no route, a method the path does not serve, a body over 10 MiB, a
 * function that failed, not ready yet) are problem+json like every other error of the platform;
 * only the authorizer's 401 keeps API Gateway's {@code {"message":"Unauthorized"}}. The JDK's
 * server reads a request's line, headers and body on a worker thread; a stalled client holds one
 * only until {@code sun.net.httpserver.maxReqTime} ({@link HttpServers}) closes its connection, and
 * the pool grows to {@link #MAX_WORKERS} threads, so a few slow clients cannot starve the rest.
 */
public final class HttpGateway implements AutoCloseable {
    static {
        HttpServers.sendAtOnce();
    }

    private static final Log LOG = Log.platform("http-gateway");
    /** API Gateway's own limit on a request payload. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** A platform route under /_local/. */
    public interface LocalRoute {
        LocalResponse handle(String method, String path, Map<String, String> query, byte[] body) throws IOException;
    }

    public record LocalResponse(int status, String contentType, String body) {
    }

    /**
     * The API's default authorizer, as API Gateway runs it before any function: the claims of a
     * valid token in the {@code Authorization} header, or empty for a 401 that invokes nothing.
     */
    public interface Authorizer {
        Optional<Map<String, String>> claims(String authorizationHeader);
    }

    /** @param noAuthorizer runs without the API's authorizer ({@code Auth: { Authorizer: NONE }}) */
    private record Route(String method, String template, List<String> segments, LambdaFunction function,
                         boolean noAuthorizer) {
        boolean greedy() {
            return !segments.isEmpty() && segments.get(segments.size() - 1).endsWith("+}");
        }

        int variables() {
            return (int) segments.stream().filter(s -> s.startsWith("{")).count();
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, LocalRoute> localRoutes = new LinkedHashMap<>();
    /** Threads are made as requests need them and end after 30 s idle; beyond this many, requests queue. */
    static final int MAX_WORKERS = 256;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread thread = new Thread(r, "http-gateway");
                thread.setDaemon(true);
                return thread;
            });
    private final Authorizer authorizer;
    private HttpServer server;

    /** How many workers are serving a request now (one per connection whose request is being read or handled). */
    public int busyWorkers() {
        return workers.getActiveCount();
    }

    private volatile boolean ready;

    /** An API without an authorizer. */
    public HttpGateway() {
        this(null);
    }

    /** @param authorizer the API's default authorizer, or null for none */
    public HttpGateway(Authorizer authorizer) {
        this.authorizer = authorizer;
        workers.allowCoreThreadTimeOut(true);
    }

    public void addRoute(String method, String path, LambdaFunction function) {
        addRoute(method, path, function, false);
    }

    /**
     * @param noAuthorizer the route's own {@code Auth: { Authorizer: NONE }}: no authorizer runs, the
     *     request reaches the function whatever its Authorization header, and the event carries no claims
     */
    public void addRoute(String method, String path, LambdaFunction function, boolean noAuthorizer) {
        List<String> segments = List.of(path.replaceAll("^/", "").split("/"));
        routes.add(new Route(method.toUpperCase(Locale.ROOT), path, segments, function, noAuthorizer));
        // most specific first: fewer variables, then no greedy variable, then longer paths
        routes.sort(Comparator.comparingInt(Route::variables)
                .thenComparing(Route::greedy)
                .thenComparing(r -> -r.segments().size()));
    }

    /** Registers a platform route; {@code prefix} is matched against the path after /_local/. */
    public void addLocalRoute(String prefix, LocalRoute route) {
        localRoutes.put(prefix, route);
    }

    public void markReady() {
        ready = true;
    }

    public boolean isReady() {
        return ready;
    }

    public int start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = declaredLength(exchange) > MAX_PAYLOAD_BYTES ? null : readBody(exchange.getRequestBody());
            if (body == null) {
                // The rest of the body is never read: the connection cannot be used again.
                exchange.getResponseHeaders().set("Connection", "close");
                sendProblem(exchange, 413, "Payload too large",
                        "body: larger than " + MAX_PAYLOAD_BYTES + " bytes, API Gateway's limit");
                return;
            }
            if (path.startsWith("/_local/")) {
                handleLocal(exchange, path.substring("/_local/".length()), body);
                return;
            }
            if (!ready) {
                sendProblem(exchange, 503, "Service unavailable", "platform: still starting; retry shortly");
                return;
            }
            handleApi(exchange, path, body);
        } catch (RuntimeException e) {
            LOG.error("gateway_failed", "error", String.valueOf(e));
            sendProblem(exchange, 500, "Internal server error", "gateway: the request could not be routed");
        }
    }

    private void handleLocal(HttpExchange exchange, String rest, byte[] body) throws IOException {
        for (Map.Entry<String, LocalRoute> entry : localRoutes.entrySet()) {
            if (rest.equals(entry.getKey()) || rest.startsWith(entry.getKey() + "/")) {
                LocalResponse response = entry.getValue().handle(exchange.getRequestMethod(), rest,
                        queryParameters(exchange.getRequestURI().getRawQuery()), body);
                send(exchange, response.status(), response.contentType(), response.body());
                return;
            }
        }
        sendProblem(exchange, 404, "Not found", "path: no local route " + shown("/_local/" + rest));
    }

    private void handleApi(HttpExchange exchange, String rawPath, byte[] body) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> segments = List.of(rawPath.replaceAll("^/", "").split("/", -1));
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (!route.method().equals(method) && !route.method().equals("ANY")) {
                if (match(route, segments) != null) {
                    allowed.add(route.method());
                }
                continue;
            }
            Map<String, String> parameters = match(route, segments);
            if (parameters != null) {
                Map<String, String> claims = null;
                if (authorizer != null && !route.noAuthorizer()) {
                    claims = authorizer.claims(exchange.getRequestHeaders().getFirst("Authorization")).orElse(null);
                    if (claims == null) {
                        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                        send(exchange, 401, "application/json", "{\"message\":\"Unauthorized\"}");
                        return;
                    }
                }
                APIGatewayV2HTTPEvent event = event(exchange, route, rawPath, parameters, body, claims);
                APIGatewayV2HTTPResponse response;
                try {
                    response = route.function().invoke(event, APIGatewayV2HTTPResponse.class);
                } catch (LambdaFunction.InvocationFailure failure) {
                    boolean timeout = failure.getCause() instanceof java.util.concurrent.TimeoutException;
                    LOG.warn("function_failed", "route", route.method() + " " + route.template(),
                            "status", timeout ? 503 : 500, "error", failure.getMessage());
                    if (timeout) {
                        sendProblem(exchange, 503, "Service unavailable",
                                "function: " + route.method() + " " + route.template() + " timed out");
                    } else {
                        sendProblem(exchange, 500, "Internal server error",
                                "function: " + route.method() + " " + route.template() + " failed");
                    }
                    return;
                }
                respond(exchange, response);
                return;
            }
        }
        if (!allowed.isEmpty()) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
            sendProblem(exchange, 405, "Method not allowed", "method: " + shown(method) + " is not served on "
                    + shown(rawPath) + "; allowed: " + String.join(", ", allowed));
            return;
        }
        sendProblem(exchange, 404, "Not found", "path: no route " + shown(method) + " " + shown(rawPath));
    }

    /** A client's text quoted in a detail, cut short: an error does not echo a whole hostile request. */
    private static String shown(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The request's Content-Length, or -1 when it has none (or none that is a number). */
    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sendProblem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        send(exchange, status, Problem.CONTENT_TYPE, Json.write(Problem.of(status, title, detail)));
    }

    /** The path parameters if the route matches, else null. */
    private static Map<String, String> match(Route route, List<String> request) {
        List<String> template = route.segments();
        if (!route.greedy() && template.size() != request.size()) {
            return null;
        }
        if (route.greedy() && request.size() < template.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            if (expected.endsWith("+}")) {
                String name = expected.substring(1, expected.length() - 2);
                parameters.put(name, decode(String.join("/", request.subList(i, request.size()))));
                return parameters;
            }
            String actual = request.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                parameters.put(expected.substring(1, expected.length() - 1), decode(actual));
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return parameters;
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, String rawPath,
                                               Map<String, String> pathParameters, byte[] body,
                                               Map<String, String> claims) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        cookies.add(cookie.trim());
                    }
                }
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String routeKey = route.method() + " " + route.template();

        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method)
                .withPath(rawPath)
                .withProtocol(exchange.getProtocol())
                .withSourceIp(sourceIp)
                .withUserAgent(headers.get("user-agent"))
                .build();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorization = claims == null ? null
                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(claims).withScopes(null).build())
                        .build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAuthorizer(authorization)
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName(headers.getOrDefault("host", "localhost"))
                .withDomainPrefix("local")
                .withHttp(http)
                .withRequestId(UUID.randomUUID().toString())
                .withRouteKey(routeKey)
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();

        APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withRequestContext(context)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        if (!cookies.isEmpty()) {
            event.withCookies(cookies);
        }
        Map<String, String> query = queryParameters(rawQuery);
        if (!query.isEmpty()) {
            event.withQueryStringParameters(query);
        }
        if (body.length > 0) {
            String text = utf8Text(body, headers.get("content-type"));
            if (text != null) {
                event.withBody(text).withIsBase64Encoded(false);
            } else {
                event.withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true);
            }
        } else {
            event.withIsBase64Encoded(false);
        }
        return event.build();
    }

    /** The body as text when it is declared textual and is valid UTF-8; else null (sent base64). */
    private static String utf8Text(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean textual = type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded") || type.contains("javascript");
        if (!textual) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response == null) {
            sendProblem(exchange, 500, "Internal server error", "function: returned no response");
            return;
        }
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        }
        byte[] bytes = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return bytes.length > MAX_PAYLOAD_BYTES ? null : bytes;
    }

    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            String value = kv.length > 1 ? decode(kv[1]) : "";
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    @Override
    public void close() {
        ready = false;
        if (server != null) {
            server.stop(1);
        }
        workers.shutdownNow();
    }
}
