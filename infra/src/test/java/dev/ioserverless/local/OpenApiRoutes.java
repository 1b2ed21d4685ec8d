package dev.ioserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every public route of the local gateway, read from the three OpenAPI files at the project root,
 * so that a test iterating over {@link #all()} covers a route the day it is documented.
 */
final class OpenApiRoutes {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /** The three audiences, each an OpenAPI file and the template's HTTP API that serves it. */
    enum Api {
        SERVICES("openapi.yaml"),
        CITIZEN("openapi-citizen.yaml"),
        PAYMENTS("openapi-payments.yaml");

        final String file;

        Api(String file) {
            this.file = file;
        }

        /** Where the platform serves this API ({@code http://host:port}, no path). */
        URI base() {
            LocalPlatform platform = TestPlatform.get();
            return switch (this) {
                case SERVICES -> platform.apiBaseUrl();
                case CITIZEN -> {
                    String url = platform.citizenApiBaseUrl().toString();
                    yield URI.create(url.substring(0, url.length() - "/api/v1".length()));
                }
                case PAYMENTS -> platform.apiBaseUrl("PaymentsApi");
            };
        }
    }

    /**
     * One operation: its method, its path template, the names of its path and query parameters,
     * the example of its request body when the file gives one, and, per documented status, the
     * media types its responses may have; {@code isPublic} when the operation requires no
     * credential ({@code security: []}: a link opened in a browser).
     */
    record Route(Api api, String method, String template, List<String> pathParameters, List<String> queryParameters,
                 boolean hasBody, JsonNode bodyExample, Map<String, List<String>> responseTypes, boolean isPublic) {
        /** The path with each parameter replaced by its (already URI-encoded) value. */
        String path(Map<String, String> values) {
            Matcher matcher = PARAMETER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null) {
                    throw new IllegalArgumentException(this + ": no value for " + matcher.group(1));
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            return out.toString();
        }

        /** The media types documented for a status, empty when the status is not documented. */
        List<String> typesFor(int status) {
            return responseTypes.getOrDefault(String.valueOf(status), List.of());
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static List<Route> all;

    private OpenApiRoutes() {
    }

    static synchronized List<Route> all() {
        if (all == null) {
            List<Route> routes = new ArrayList<>();
            for (Api api : Api.values()) {
                routes.addAll(read(api));
            }
            all = List.copyOf(routes);
        }
        return all;
    }

    static List<Route> of(Api api) {
        return all().stream().filter(route -> route.api() == api).toList();
    }

    private static List<Route> read(Api api) {
        JsonNode spec;
        try {
            spec = YAML.readTree(Path.of("..", api.file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                op.getValue().path("parameters").forEach(parameters::add);
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : parameters) {
                    JsonNode resolved = resolve(spec, parameter);
                    if ("query".equals(resolved.path("in").asText())) {
                        query.add(resolved.path("name").asText());
                    }
                }
                List<String> pathParameters = new ArrayList<>();
                Matcher matcher = PARAMETER.matcher(path.getKey());
                while (matcher.find()) {
                    pathParameters.add(matcher.group(1));
                }
                JsonNode requestBody = resolve(spec, op.getValue().path("requestBody"));
                JsonNode example = requestBody.path("content").path("application/json").path("example");
                Map<String, List<String>> types = new java.util.TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> responses = op.getValue().path("responses").fields();
                     responses.hasNext(); ) {
                    Map.Entry<String, JsonNode> response = responses.next();
                    List<String> media = new ArrayList<>();
                    resolve(spec, response.getValue()).path("content").fieldNames().forEachRemaining(media::add);
                    types.put(response.getKey(), List.copyOf(media));
                }
                routes.add(new Route(api, op.getKey().toUpperCase(Locale.ROOT), path.getKey(), List.copyOf(pathParameters),
                        List.copyOf(query), !requestBody.isMissingNode(), example.isMissingNode() ? null : example,
                        Map.copyOf(types), op.getValue().path("security").isArray()
                                && op.getValue().path("security").isEmpty()));
            }
        }
        return routes;
    }

    /** A {@code $ref} within the same file, followed; anything else as it is. */
    private static JsonNode resolve(JsonNode spec, JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#/")) {
            return node;
        }
        JsonNode target = spec;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part.replace("~1", "/").replace("~0", "~"));
        }
        return resolve(spec, target);
    }
}
