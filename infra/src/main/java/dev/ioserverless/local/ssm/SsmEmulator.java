package dev.ioserverless.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A local SSM Parameter Store speaking the AWS JSON 1.1 protocol ({@code X-Amz-Target:
 * AmazonSSM.<Action>}), so that the unchanged {@code SsmClient} and the AWS CLI work against it.
 * Actions: GetParameter, GetParameters, PutParameter and DeleteParameter, for String, StringList
 * and SecureString parameters. A SecureString's value is answered in clear only with
 * {@code WithDecryption=true}, as Parameter Store does; without it the value is withheld (Parameter
 * Store answers the KMS ciphertext, which nothing here can use). State is in memory.
 */
public final class SsmEmulator implements AutoCloseable {
    static {
        dev.ioserverless.local.runtime.HttpServers.sendAtOnce();
    }

    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("^/?[A-Za-z0-9_.\\-/]{1,2048}$");
    private static final int MAX_VALUE_CHARS = 4096;

    private record Parameter(String name, String type, String value, long version, Instant modified) {
    }

    private final String region;
    private final String accountId;
    private final Map<String, Parameter> parameters = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService executor;
    private volatile URI endpoint;

    public SsmEmulator(String region, String accountId) {
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    public synchronized void start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("SSM emulator already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 0);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "ssm-emulator");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        endpoint = URI.create("http://" + host + ":" + created.getAddress().getPort());
    }

    public URI endpoint() {
        URI current = endpoint;
        if (current == null) {
            throw new IllegalStateException("SSM emulator not started");
        }
        return current;
    }

    /** Creates or overwrites a parameter, as {@code PutParameter} with {@code Overwrite=true}. */
    public long put(String name, String type, String value) {
        return parameters.compute(name, (key, old) -> new Parameter(name, type, value,
                old == null ? 1 : old.version() + 1, Instant.now())).version();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith("AmazonSSM.")) {
                reply(exchange, 400, error("UnknownOperationException", "expected POST with X-Amz-Target AmazonSSM.<Action>"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                reply(exchange, 400, error("ValidationException", "request too large"));
                return;
            }
            JsonNode request;
            try {
                request = Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                reply(exchange, 400, error("SerializationException", "the body is not a JSON object"));
                return;
            }
            try {
                reply(exchange, 200, dispatch(target.substring("AmazonSSM.".length()), request));
            } catch (SsmError e) {
                reply(exchange, 400, error(e.type, e.getMessage()));
            }
        }
    }

    private ObjectNode dispatch(String action, JsonNode request) {
        return switch (action) {
            case "GetParameter" -> {
                Parameter parameter = existing(name(request));
                ObjectNode reply = Json.object();
                reply.set("Parameter", view(parameter, request.path("WithDecryption").asBoolean(false)));
                yield reply;
            }
            case "GetParameters" -> {
                ObjectNode reply = Json.object();
                var found = reply.putArray("Parameters");
                var invalid = reply.putArray("InvalidParameters");
                boolean decrypt = request.path("WithDecryption").asBoolean(false);
                for (JsonNode name : request.path("Names")) {
                    Parameter parameter = parameters.get(name.asText());
                    if (parameter == null) {
                        invalid.add(name.asText());
                    } else {
                        found.add(view(parameter, decrypt));
                    }
                }
                yield reply;
            }
            case "PutParameter" -> {
                String name = name(request);
                String type = request.path("Type").asText("String");
                if (!type.equals("String") && !type.equals("StringList") && !type.equals("SecureString")) {
                    throw new SsmError("ValidationException", "Type: must be String, StringList or SecureString");
                }
                String value = request.path("Value").asText("");
                if (value.isEmpty() || value.length() > MAX_VALUE_CHARS) {
                    throw new SsmError("ValidationException", "Value: 1 to 4096 characters");
                }
                if (!request.path("Overwrite").asBoolean(false) && parameters.containsKey(name)) {
                    throw new SsmError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
                }
                ObjectNode reply = Json.object();
                reply.put("Version", put(name, type, value));
                reply.put("Tier", "Standard");
                yield reply;
            }
            case "DeleteParameter" -> {
                if (parameters.remove(name(request)) == null) {
                    throw new SsmError("ParameterNotFound", "");
                }
                yield Json.object();
            }
            default -> throw new SsmError("UnknownOperationException", "unsupported action " + action);
        };
    }

    private static String name(JsonNode request) {
        String name = request.path("Name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw new SsmError("ValidationException", "Name: a parameter name such as /io/payment-callback-secrets");
        }
        return name;
    }

    private Parameter existing(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new SsmError("ParameterNotFound", "");
        }
        return parameter;
    }

    private ObjectNode view(Parameter parameter, boolean decrypt) {
        ObjectNode node = Json.object();
        node.put("Name", parameter.name());
        node.put("Type", parameter.type());
        node.put("Value", parameter.type().equals("SecureString") && !decrypt ? "(encrypted)" : parameter.value());
        node.put("Version", parameter.version());
        node.put("LastModifiedDate", parameter.modified().toEpochMilli() / 1000.0);
        node.put("ARN", "arn:aws:ssm:" + region + ":" + accountId + ":parameter"
                + (parameter.name().startsWith("/") ? "" : "/") + parameter.name());
        node.put("DataType", "text");
        return node;
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode node = Json.object();
        node.put("__type", type);
        node.put("message", message);
        return node;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class SsmError extends RuntimeException {
        final String type;

        SsmError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            endpoint = null;
        }
    }
}
