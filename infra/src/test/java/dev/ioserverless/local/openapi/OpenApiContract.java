package dev.ioserverless.local.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The public HTTP API as {@code openapi.yaml} describes it, and the check that a real response
 * conforms to it.
 *
 * <p>Schemas are validated by networknt's json-schema-validator with the OpenAPI 3.1 dialect
 * (JSON Schema 2020-12 plus the OAS vocabulary), with format assertions on. A schema is loaded
 * from the document itself by its location, {@code file:/.../openapi.yaml#/components/schemas/X},
 * so every {@code $ref} inside it ({@code #/components/...}) resolves against the same document.
 * For that to work every media-type and header schema in the document must be a {@code $ref} into
 * {@code #/components/schemas}; {@link OpenApiSpecTest} holds the document to that rule.
 *
 * <p>A response conforms when: the operation exists; its status is documented (exactly, or by a
 * {@code 4XX} range, or by {@code default}); every header the response declares required is
 * present and every declared header that is present matches its schema; its media type is one the
 * response documents; and its body is JSON valid against that media type's schema (a media type that
 * is not JSON, such as a PDF, must be documented as a binary string; its bytes are left to the test
 * that asked for them).
 */
public final class OpenApiContract {
    /** The document, as the infra module's tests see it from their working directory. */
    public static final Path DEFAULT_LOCATION = Path.of("..", "openapi.yaml");

    static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private static final Map<Path, OpenApiContract> LOADED = new ConcurrentHashMap<>();

    private final Path file;
    private final String documentIri;
    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.documentIri = this.file.toUri().toString();
        try {
            this.document = new ObjectMapper(new YAMLFactory()).readTree(this.file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + this.file, e);
        }
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(OpenApi31.getInstance())
                .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
        this.config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .pathType(PathType.JSON_PATH)
                .build();
    }

    /** The document at {@link #DEFAULT_LOCATION}, parsed once per JVM. */
    public static OpenApiContract load() {
        return load(DEFAULT_LOCATION);
    }

    public static OpenApiContract load(Path file) {
        return LOADED.computeIfAbsent(file.toAbsolutePath().normalize(), OpenApiContract::new);
    }

    public Path file() {
        return file;
    }

    public JsonNode document() {
        return document;
    }

    JsonSchemaFactory factory() {
        return factory;
    }

    SchemaValidatorsConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ the document

    /** One operation: a method on a path template. */
    public record Operation(String method, String pathTemplate, JsonNode node) {
        public String id() {
            return node.path("operationId").asText();
        }

        @Override
        public String toString() {
            return method + " " + pathTemplate;
        }
    }

    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), operation));
                }
            }
        });
        return operations;
    }

    public Optional<Operation> operation(String method, String pathTemplate) {
        JsonNode node = document.path("paths").path(pathTemplate).get(method.toLowerCase(Locale.ROOT));
        return node == null ? Optional.empty() : Optional.of(new Operation(method.toUpperCase(Locale.ROOT), pathTemplate, node));
    }

    /**
     * The documented path template a concrete path falls under. Where several match (a literal
     * segment and a template parameter at the same position) the most literal one wins, as
     * OpenAPI requires.
     */
    public Optional<String> pathTemplateOf(String concretePath) {
        List<String> matching = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(template -> {
            if (matches(template, concretePath)) {
                matching.add(template);
            }
        });
        return matching.stream().max(Comparator.comparingLong(OpenApiContract::literalSegments));
    }

    static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean parameter = t[i].startsWith("{") && t[i].endsWith("}");
            if (parameter ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private static long literalSegments(String template) {
        return java.util.Arrays.stream(template.split("/")).filter(s -> !s.startsWith("{")).count();
    }

    /** Follows a local {@code $ref} chain ({@code #/...}) to the node it names. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref"); hops++) {
            if (hops > 20) {
                throw new IllegalStateException("$ref cycle at " + node);
            }
            current = pointer(current.get("$ref").asText());
        }
        return current;
    }

    /** The node at a local reference such as {@code #/components/schemas/ProblemJson}; null when absent. */
    public JsonNode pointer(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("only local references are supported: " + ref);
        }
        JsonNode found = document.at(ref.substring(1));
        return found.isMissingNode() ? null : found;
    }

    // ------------------------------------------------------------------ schemas

    /**
     * The compiled schema at a local reference into the document (for example
     * {@code #/components/schemas/NewMessage}), with every {@code $ref} in it resolved against
     * the document.
     */
    public JsonSchema schema(String ref) {
        return schemas.computeIfAbsent(ref, r -> {
            if (pointer(r) == null) {
                throw new IllegalArgumentException("no schema at " + r + " in " + file);
            }
            JsonSchema schema = factory.getSchema(SchemaLocation.of(documentIri + r), config);
            schema.initializeValidators();
            return schema;
        });
    }

    /** The violations of {@code instance} against the schema at {@code ref}, as readable lines. */
    public List<String> validate(String ref, JsonNode instance) {
        Set<ValidationMessage> messages = schema(ref).validate(instance);
        List<String> lines = new ArrayList<>();
        for (ValidationMessage message : messages) {
            lines.add(message.getMessage());
        }
        lines.sort(null);
        return lines;
    }

    private String schemaRef(JsonNode holder, String where) {
        JsonNode schema = holder.get("schema");
        if (schema == null || !schema.has("$ref") || schema.size() != 1) {
            throw new IllegalStateException(where + ": the schema must be a single $ref into #/components/schemas");
        }
        return schema.get("$ref").asText();
    }

    // ------------------------------------------------------------------ responses

    /**
     * Asserts that {@code response} conforms to the operation its request addressed under
     * {@code pathTemplate}; the request's concrete path must fall under that template.
     *
     * @throws AssertionError listing every violation
     */
    public void assertConforms(String pathTemplate, HttpResponse<String> response) {
        String method = response.request().method();
        String path = response.request().uri().getRawPath();
        List<String> violations = new ArrayList<>();
        if (!matches(pathTemplate, path)) {
            violations.add("request path " + path + " does not fall under " + pathTemplate);
        }
        violations.addAll(responseViolations(method, pathTemplate, response.statusCode(), response.headers(),
                response.body()));
        failIfAny(method + " " + pathTemplate + " -> " + response.statusCode(), violations, response.body());
    }

    /** As {@link #assertConforms(String, HttpResponse)}, with the template found from the request's path. */
    public void assertConforms(HttpResponse<String> response) {
        String path = response.request().uri().getRawPath();
        String template = pathTemplateOf(path).orElseThrow(() -> new AssertionError(
                "no path of " + file.getFileName() + " matches " + path));
        assertConforms(template, response);
    }

    /** Every way a response breaks the documented contract of its operation; empty when it conforms. */
    public List<String> responseViolations(String method, String pathTemplate, int status, HttpHeaders headers,
                                           String body) {
        List<String> violations = new ArrayList<>();
        Optional<Operation> operation = operation(method, pathTemplate);
        if (operation.isEmpty()) {
            violations.add("operation " + method + " " + pathTemplate + " is not documented");
            return violations;
        }
        JsonNode responses = operation.get().node().path("responses");
        JsonNode documented = responseFor(responses, status);
        if (documented == null) {
            List<String> codes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(codes::add);
            violations.add("status " + status + " is not documented for " + operation.get() + " (documented: "
                    + String.join(", ", codes) + ")");
            return violations;
        }
        JsonNode response = resolve(documented);
        String where = operation.get() + " " + status;
        checkHeaders(response, headers, where, violations);
        checkBody(response, headers.firstValue("Content-Type").orElse(null), body, where, violations);
        return violations;
    }

    private static JsonNode responseFor(JsonNode responses, int status) {
        String exact = Integer.toString(status);
        if (responses.has(exact)) {
            return responses.get(exact);
        }
        String range = (status / 100) + "XX";
        if (responses.has(range)) {
            return responses.get(range);
        }
        return responses.get("default");
    }

    private void checkHeaders(JsonNode response, HttpHeaders headers, String where, List<String> violations) {
        response.path("headers").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            if (name.equalsIgnoreCase("Content-Type")) {
                return; // described by the response's content, never as a header (OpenAPI 3.1, 4.8.21)
            }
            JsonNode header = resolve(entry.getValue());
            List<String> values = headers.allValues(name);
            if (values.isEmpty()) {
                if (header.path("required").asBoolean(false)) {
                    violations.add("header " + name + ": required but absent");
                }
                return;
            }
            if (values.size() > 1) {
                violations.add("header " + name + ": sent " + values.size() + " times");
            }
            String ref = schemaRef(header, where + " header " + name);
            for (String message : validate(ref, headerValue(ref, values.get(0)))) {
                violations.add("header " + name + " '" + values.get(0) + "': " + message);
            }
        });
    }

    /** A header's text as the JSON value its schema describes: an integer schema reads digits as a number. */
    private JsonNode headerValue(String schemaRef, String text) {
        String type = resolve(pointer(schemaRef)).path("type").asText("string");
        String trimmed = text.trim();
        if ((type.equals("integer") || type.equals("number")) && INTEGER.matcher(trimmed).matches()) {
            return JsonNodeFactory.instance.numberNode(new BigInteger(trimmed));
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private void checkBody(JsonNode response, String contentType, String body, String where, List<String> violations) {
        JsonNode content = response.get("content");
        boolean hasBody = body != null && !body.isEmpty();
        if (content == null || content.isEmpty()) {
            if (hasBody) {
                violations.add("body: the response documents no content, but one was sent");
            }
            return;
        }
        List<String> documented = new ArrayList<>();
        content.fieldNames().forEachRemaining(documented::add);
        if (contentType == null) {
            violations.add("Content-Type: absent (documented: " + String.join(", ", documented) + ")");
            return;
        }
        String mediaType = mediaType(contentType);
        JsonNode media = null;
        for (String candidate : documented) {
            if (mediaType(candidate).equals(mediaType)) {
                media = content.get(candidate);
            }
        }
        if (media == null) {
            violations.add("Content-Type: " + mediaType + " is not documented (documented: "
                    + String.join(", ", documented) + ")");
            return;
        }
        if (!hasBody) {
            violations.add("body: absent, but " + mediaType + " content is documented");
            return;
        }
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            // Binary content (a PDF): the schema can only say it is bytes; the caller checks them.
            JsonNode schema = resolve(pointer(schemaRef(media, where + " " + mediaType)));
            if (!schema.path("type").asText().equals("string") || !schema.path("format").asText().equals("binary")) {
                violations.add("body: " + mediaType + " is documented with a schema other than a binary string");
            }
            return;
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(body);
        } catch (JsonProcessingException e) {
            violations.add("body: not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        for (String message : validate(schemaRef(media, where + " " + mediaType), json)) {
            violations.add("body " + message);
        }
    }

    static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ requests

    /**
     * How a request body breaks the schema the operation documents for it; empty when it is valid.
     * Tests use it to check that the spec and the server agree on what is valid.
     */
    public List<String> requestBodyViolations(String method, String pathTemplate, String contentType, String body) {
        Operation operation = operation(method, pathTemplate)
                .orElseThrow(() -> new IllegalArgumentException(method + " " + pathTemplate + " is not documented"));
        JsonNode requestBody = resolve(operation.node().get("requestBody"));
        if (requestBody == null) {
            throw new IllegalArgumentException(operation + " documents no request body");
        }
        JsonNode media = requestBody.path("content").get(mediaType(contentType));
        if (media == null) {
            return List.of("Content-Type: " + mediaType(contentType) + " is not documented for the request");
        }
        try {
            return validate(schemaRef(media, operation + " request"), new ObjectMapper().readTree(body));
        } catch (JsonProcessingException e) {
            return List.of("body: not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    // ------------------------------------------------------------------ helpers

    private void failIfAny(String what, List<String> violations, String body) {
        if (violations.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(what).append(" does not conform to ")
                .append(file.getFileName()).append(" (").append(violations.size()).append(" violation")
                .append(violations.size() == 1 ? "" : "s").append("):");
        for (String violation : violations) {
            message.append("\n  - ").append(violation);
        }
        String shown = body == null ? "<none>" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
        message.append("\n  body: ").append(shown);
        throw new AssertionError(message.toString());
    }
}
