package dev.ioserverless.local.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationMessage;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.local.template.Resource;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.yaml} on its own: a well-formed OpenAPI 3.1 document whose references resolve
 * and whose schemas compile, that documents exactly the {@code /api/} routes of
 * {@code template.yaml}, and whose response schemas really are strict (the validator rejects an
 * extra property or a wrong type anywhere in a documented response).
 */
class OpenApiSpecTest {
    private static final String META_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final Set<String> SCHEMA_KEYWORDS = Set.of(
            // core
            "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
            // applicator
            "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items",
            "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
            // unevaluated
            "unevaluatedItems", "unevaluatedProperties",
            // validation
            "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
            "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
            "maxProperties", "minProperties", "required", "dependentRequired",
            // meta-data, format, content
            "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
            "format", "contentEncoding", "contentMediaType", "contentSchema",
            // the OpenAPI 3.1 vocabulary
            "discriminator", "xml", "externalDocs", "example");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "dependentSchemas");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "not", "if", "then", "else", "additionalProperties",
            "unevaluatedProperties", "propertyNames", "contains", "unevaluatedItems", "contentSchema");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    /** A greedy path parameter of the template ({@code {name+}}), which OpenAPI writes {@code {name}}. */
    private static final Pattern GREEDY_PARAMETER = Pattern.compile("\\{([^}/]+)\\+}");
    /** The operations that create something and honour an Idempotency-Key (their handlers' {@code idempotent()}). */
    private static final Set<String> IDEMPOTENT_CREATIONS = Set.of(
            "POST /api/v1/messages/{fiscal_code}", "POST /api/v1/messages", "POST /api/v1/messages/batch",
            "POST /api/v1/messages-sending/remote-contents/configurations", "POST /api/v1/documents");
    /** The creations whose 201 has no Location: a declared document cannot be read back. */
    private static final Set<String> UNLOCATED_CREATIONS = Set.of("POST /api/v1/documents");
    private static final List<String> GROUPS = List.of("ApiMessageWrite", "ApiLimitedMessageWrite",
            "ApiMessageWriteWithPayee", "ApiMessageWriteAdvanced", "ApiLimitedProfileRead", "ApiMessageRead",
            "ApiMessageReadAdvanced");

    private static OpenApiContract contract;
    private static JsonNode document;

    @BeforeAll
    static void load() {
        contract = OpenApiContract.load();
        document = contract.document();
    }

    // ------------------------------------------------------------------ the document

    @Test
    void isAnOpenApi31Document() {
        List<String> problems = new ArrayList<>();
        if (!document.path("openapi").asText().matches("3\\.1\\.[0-9]+")) {
            problems.add("openapi: must be 3.1.x, is " + document.path("openapi"));
        }
        for (String field : List.of("title", "version")) {
            if (!document.path("info").path(field).isTextual() || document.path("info").path(field).asText().isBlank()) {
                problems.add("info." + field + ": required");
            }
        }
        Set<String> allowedTop = Set.of("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks",
                "components", "security", "tags", "externalDocs");
        document.fieldNames().forEachRemaining(name -> {
            if (!allowedTop.contains(name) && !name.startsWith("x-")) {
                problems.add("top level: unknown field " + name);
            }
        });
        if (!document.path("paths").isObject() || document.path("paths").isEmpty()) {
            problems.add("paths: required and not empty");
        }
        Set<String> pathItemFields = new HashSet<>(OpenApiContract.METHODS);
        pathItemFields.addAll(List.of("$ref", "summary", "description", "servers", "parameters"));
        Set<String> operationIds = new HashSet<>();
        Set<String> schemes = new HashSet<>();
        document.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        checkSecurity(document.path("security"), schemes, "security", problems);
        document.path("paths").fields().forEachRemaining(path -> {
            String template = path.getKey();
            if (!template.startsWith("/")) {
                problems.add(template + ": a path must start with /");
            }
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (!pathItemFields.contains(name) && !name.startsWith("x-")) {
                    problems.add(template + ": unknown field " + name);
                }
            });
        });
        for (OpenApiContract.Operation operation : contract.operations()) {
            JsonNode node = operation.node();
            String where = operation.toString();
            if (!node.path("operationId").isTextual() || !operationIds.add(node.path("operationId").asText())) {
                problems.add(where + ": operationId missing or not unique");
            }
            checkSecurity(node.path("security"), schemes, where + " security", problems);
            if (!node.path("responses").isObject() || node.path("responses").isEmpty()) {
                problems.add(where + ": responses required");
            }
            node.path("responses").fields().forEachRemaining(response -> {
                if (!response.getKey().matches("[1-5](?:[0-9]{2}|XX)|default")) {
                    problems.add(where + ": response key " + response.getKey());
                }
                JsonNode resolved = contract.resolve(response.getValue());
                if (resolved == null || !resolved.path("description").isTextual()) {
                    problems.add(where + " " + response.getKey() + ": a response needs a description");
                }
            });
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = TEMPLATE_PARAMETER.matcher(operation.pathTemplate());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            List<JsonNode> parameters = new ArrayList<>();
            document.path("paths").path(operation.pathTemplate()).path("parameters").forEach(parameters::add);
            node.path("parameters").forEach(parameters::add);
            for (JsonNode parameter : parameters) {
                JsonNode p = contract.resolve(parameter);
                if (p == null || !p.path("name").isTextual() || !p.path("in").isTextual()) {
                    problems.add(where + ": parameter without name or in: " + parameter);
                    continue;
                }
                if (!Set.of("path", "query", "header", "cookie").contains(p.path("in").asText())) {
                    problems.add(where + ": parameter " + p.path("name").asText() + " has in: " + p.path("in"));
                }
                if (p.path("in").asText().equals("path")) {
                    declared.add(p.path("name").asText());
                    if (!p.path("required").asBoolean(false)) {
                        problems.add(where + ": path parameter " + p.path("name").asText() + " must be required");
                    }
                }
                if (!p.has("schema") && !p.has("content")) {
                    problems.add(where + ": parameter " + p.path("name").asText() + " needs a schema");
                }
            }
            if (!inTemplate.equals(declared)) {
                problems.add(where + ": path parameters " + declared + " do not match the template's " + inTemplate);
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void checkSecurity(JsonNode security, Set<String> schemes, String where, List<String> problems) {
        for (JsonNode requirement : security) {
            requirement.fieldNames().forEachRemaining(name -> {
                if (!schemes.contains(name)) {
                    problems.add(where + ": unknown security scheme " + name);
                }
            });
        }
    }

    @Test
    void theApiKeyIsTheSubscriptionKeyHeaderAndEveryOperationNeedsIt() {
        JsonNode scheme = document.path("components").path("securitySchemes").path("SubscriptionKey");
        assertEquals("apiKey", scheme.path("type").asText());
        assertEquals("header", scheme.path("in").asText());
        assertEquals("Ocp-Apim-Subscription-Key", scheme.path("name").asText());
        for (OpenApiContract.Operation operation : contract.operations()) {
            JsonNode security = operation.node().has("security") ? operation.node().get("security") : document.get("security");
            assertTrue(security != null && security.toString().contains("SubscriptionKey"), operation + " needs the key");
        }
    }

    @Test
    void everyReferenceResolvesInsideTheDocument() {
        List<String> problems = new ArrayList<>();
        walk(document, "", (pointer, node) -> {
            JsonNode ref = node.get("$ref");
            if (ref == null || !ref.isTextual()) {
                return;
            }
            String target = ref.asText();
            if (!target.startsWith("#/")) {
                problems.add(pointer + ": $ref " + target + " leaves the document");
            } else if (contract.pointer(target) == null) {
                problems.add(pointer + ": $ref " + target + " resolves to nothing");
            }
        });
        assertEquals(List.of(), problems);
        assertTrue(countRefs(document) > 50, "the document is expected to reuse its components");
    }

    @Test
    void everyComponentSchemaIsValidJsonSchemaAndCompiles() {
        JsonSchema metaSchema = contract.factory().getSchema(SchemaLocation.of(META_SCHEMA_2020_12), contract.config());
        List<String> problems = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        assertTrue(schemas.size() > 20, "component schemas");
        schemas.fields().forEachRemaining(entry -> {
            String ref = "#/components/schemas/" + entry.getKey();
            for (ValidationMessage message : metaSchema.validate(entry.getValue())) {
                problems.add(ref + " against the 2020-12 meta-schema: " + message.getMessage());
            }
            unknownKeywords(entry.getValue(), ref, problems);
            try {
                contract.schema(ref); // compiles it and every $ref it reaches
            } catch (RuntimeException e) {
                problems.add(ref + " does not compile: " + e);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void theSchemaChecksCatchAMisspelledKeyword() {
        // the guard that keeps a typo such as "additionalProperites" from silently switching strictness off
        List<String> problems = new ArrayList<>();
        unknownKeywords(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                + "\"additionalProperites\":false}"), "#/sample", problems);
        assertEquals(List.of("#/sample: unknown keyword additionalProperites"), problems);
    }

    /** Every keyword of a schema and its subschemas is a JSON Schema 2020-12 or OpenAPI keyword (or x-). */
    private static void unknownKeywords(JsonNode schema, String where, List<String> problems) {
        if (!schema.isObject()) {
            return;
        }
        schema.fields().forEachRemaining(entry -> {
            String keyword = entry.getKey();
            JsonNode value = entry.getValue();
            if (!SCHEMA_KEYWORDS.contains(keyword) && !keyword.startsWith("x-")) {
                problems.add(where + ": unknown keyword " + keyword);
            } else if (SCHEMA_MAPS.contains(keyword)) {
                value.fields().forEachRemaining(sub -> unknownKeywords(sub.getValue(), where + "/" + keyword + "/" + sub.getKey(), problems));
            } else if (SCHEMA_LISTS.contains(keyword)) {
                for (int i = 0; i < value.size(); i++) {
                    unknownKeywords(value.get(i), where + "/" + keyword + "/" + i, problems);
                }
            } else if (SCHEMA_VALUES.contains(keyword)) {
                unknownKeywords(value, where + "/" + keyword, problems);
            }
        });
    }

    @Test
    void mediaTypeAndHeaderSchemasAreReferencesToComponents() {
        // OpenApiContract loads schemas by their location in the document, so they must be named ones
        List<String> problems = new ArrayList<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            JsonNode body = contract.resolve(operation.node().get("requestBody"));
            if (body != null) {
                body.path("content").fields().forEachRemaining(media -> requireComponentRef(media.getValue(),
                        operation + " request " + media.getKey(), problems));
            }
            operation.node().path("parameters").forEach(p -> requireComponentRef(contract.resolve(p),
                    operation + " parameter " + contract.resolve(p).path("name").asText(), problems));
            operation.node().path("responses").fields().forEachRemaining(entry -> {
                JsonNode response = contract.resolve(entry.getValue());
                String where = operation + " " + entry.getKey();
                response.path("content").fields().forEachRemaining(media -> requireComponentRef(media.getValue(),
                        where + " " + media.getKey(), problems));
                response.path("headers").fields().forEachRemaining(header -> requireComponentRef(
                        contract.resolve(header.getValue()), where + " header " + header.getKey(), problems));
            });
        }
        assertEquals(List.of(), problems);
    }

    private static void requireComponentRef(JsonNode holder, String where, List<String> problems) {
        JsonNode schema = holder.get("schema");
        if (schema == null || schema.size() != 1 || !schema.path("$ref").asText().startsWith("#/components/schemas/")) {
            problems.add(where + ": schema must be a $ref to #/components/schemas/...");
        }
    }

    @Test
    void everyExampleIsValidAgainstItsSchema() {
        List<String> problems = new ArrayList<>();
        int examples = 0;
        for (Example example : examples(true)) {
            examples++;
            for (String violation : contract.validate(example.schemaRef(), example.value())) {
                problems.add(example.where() + ": " + violation);
            }
        }
        for (Example example : requestExamples()) {
            examples++;
            for (String violation : contract.validate(example.schemaRef(), example.value())) {
                problems.add(example.where() + ": " + violation);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(examples >= 20, "examples checked: " + examples);
    }

    @Test
    void everyJsonResponseHasAnExample() {
        List<String> missing = new ArrayList<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            operation.node().path("responses").fields().forEachRemaining(entry ->
                    contract.resolve(entry.getValue()).path("content").fields().forEachRemaining(media -> {
                        if (!media.getValue().has("example") && !media.getValue().has("examples")) {
                            missing.add(operation + " " + entry.getKey() + " " + media.getKey());
                        }
                    }));
        }
        assertEquals(List.of(), missing);
    }

    // ------------------------------------------------------------------ what the spec says

    @Test
    void ioOperationsKeepIosOperationIds() {
        // clients generated from IO's specification call these names
        Map<String, String> expected = Map.of(
                "POST /api/v1/messages/{fiscal_code}", "submitMessageforUser",
                "POST /api/v1/messages", "submitMessageforUserWithFiscalCodeInBody",
                "GET /api/v1/messages/{fiscal_code}/{id}", "getMessage",
                "GET /api/v1/profiles/{fiscal_code}", "getProfile",
                "POST /api/v1/profiles", "getProfileByPOST",
                "POST /api/v1/messages-sending/remote-contents/configurations", "createRCConfiguration",
                "GET /api/v1/messages-sending/remote-contents/configurations", "listRCConfiguration",
                "GET /api/v1/messages-sending/remote-contents/configurations/{configurationId}", "getRCConfiguration",
                "PUT /api/v1/messages-sending/remote-contents/configurations/{configurationId}", "updateRCConfiguration");
        Map<String, String> actual = new HashMap<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            if (expected.containsKey(operation.toString())) {
                actual.put(operation.toString(), operation.id());
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void responsesDocumentTheirHeadersAndProblems() {
        List<String> problems = new ArrayList<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            operation.node().path("responses").fields().forEachRemaining(entry -> {
                int status = Integer.parseInt(entry.getKey());
                JsonNode response = contract.resolve(entry.getValue());
                String where = operation + " " + status;
                JsonNode headers = response.path("headers");
                boolean authenticated = status != 401 && status != 500;
                for (String name : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining")) {
                    boolean required = headers.has(name) && contract.resolve(headers.get(name)).path("required").asBoolean();
                    if (authenticated != required) {
                        problems.add(where + ": " + name + (authenticated ? " must be required" : " cannot be promised"));
                    }
                }
                boolean retryAfter = headers.has("Retry-After")
                        && contract.resolve(headers.get("Retry-After")).path("required").asBoolean();
                if ((status == 429 || status == 409 || status == 503) != retryAfter) {
                    problems.add(where + ": Retry-After is required on 429, 409 and 503, and only there");
                }
                // a 201 names what it created, but a declared document, which has nothing to GET
                boolean locates = status == 201 && !UNLOCATED_CREATIONS.contains(operation.toString());
                if (locates != headers.has("Location")) {
                    problems.add(where + ": Location belongs exactly to 201 (of a resource that can be read back)");
                }
                JsonNode content = response.path("content");
                if (status == 204) {
                    if (!content.isMissingNode() && !content.isEmpty()) {
                        problems.add(where + ": a 204 has no content");
                    }
                } else if (status >= 400) {
                    if (!content.has("application/problem+json") || content.size() != 1
                            || !content.path("application/problem+json").path("schema").path("$ref").asText()
                            .equals("#/components/schemas/ProblemJson")) {
                        problems.add(where + ": errors are application/problem+json ProblemJson");
                    }
                } else if (!content.has("application/json") || content.size() != 1) {
                    problems.add(where + ": success is application/json");
                }
            });
            if (operation.pathTemplate().startsWith("/api/")) {
                for (String status : List.of("401", "429")) {
                    if (!operation.node().path("responses").has(status)) {
                        problems.add(operation + ": every API operation documents " + status);
                    }
                }
                if (!operation.node().path("description").asText().contains("Groups:")) {
                    problems.add(operation + ": the description names the groups it needs");
                }
            }
            boolean creates = IDEMPOTENT_CREATIONS.contains(operation.toString());
            boolean idempotent = operation.node().path("parameters").toString().contains("IdempotencyKey");
            boolean conflicts = operation.node().path("responses").has("409") && operation.node().path("responses").has("422");
            if (creates != idempotent || creates != conflicts) {
                problems.add(operation + ": Idempotency-Key, 409 and 422 belong to the operations that create messages,"
                        + " configurations and documents");
            }
        }
        String description = document.path("info").path("description").asText();
        for (String fact : List.of("150 requests", "5 seconds", "24 hours", "256 KB", "422", "409", "3600", "604800",
                "9999999999", "^[0123][0-9]{17}$", "11 digits")) {
            if (!description.contains(fact)) {
                problems.add("info.description: does not say " + fact);
            }
        }
        for (String group : GROUPS) {
            if (!description.contains("`" + group + "`")) {
                problems.add("info.description: does not explain group " + group);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theFieldLimitsAreTheOnesOfIo() {
        assertEquals(10, schema("MessageSubject").path("minLength").asInt());
        assertEquals(120, schema("MessageSubject").path("maxLength").asInt());
        assertEquals(80, schema("MessageBodyMarkdown").path("minLength").asInt());
        assertEquals(10000, schema("MessageBodyMarkdown").path("maxLength").asInt());
        assertEquals(3600, schema("TimeToLiveSeconds").path("minimum").asInt());
        assertEquals(604800, schema("TimeToLiveSeconds").path("maximum").asInt());
        assertEquals(3600, schema("TimeToLiveSeconds").path("default").asInt());
        assertEquals(1, schema("PaymentAmount").path("minimum").asLong());
        assertEquals(9_999_999_999L, schema("PaymentAmount").path("maximum").asLong());
        assertEquals("^[0123][0-9]{17}$", schema("PaymentNoticeNumber").path("pattern").asText());
        assertEquals("^[0-9]{11}$", schema("OrganizationFiscalCode").path("pattern").asText());
        assertEquals(dev.ioserverless.common.FiscalCode.PATTERN, schema("FiscalCode").path("pattern").asText());
        assertEquals(dev.ioserverless.common.Ulid.PATTERN, schema("MessageId").path("pattern").asText());
        assertEquals(List.of("SENT", "THROTTLED", "EXPIRED", "FAILED"), texts(schema("NotificationChannelStatusValue").path("enum")));
        assertEquals(List.of("ACCEPTED", "THROTTLED", "FAILED", "PROCESSED", "REJECTED"), texts(schema("MessageStatusValue").path("enum")));
        assertEquals(List.of("UNAVAILABLE", "UNREAD", "READ"), texts(schema("ReadStatus").path("enum")));
        assertEquals(List.of("PAID", "NOT_PAID"), texts(schema("PaymentStatus").path("enum")));
        assertEquals(List.of("STANDARD", "ADVANCED"), texts(schema("FeatureLevelType").path("enum")));
        assertEquals(255, schema("IdempotencyKey").path("maxLength").asInt());
        assertEquals(100, schema("NewMessageBatch").path("properties").path("messages").path("maxItems").asInt());
        // the spec's request schemas say what the server's validation says
        assertTrue(contract.validate("#/components/schemas/NewMessage", json("{\"content\":{\"subject\":\"too short\","
                + "\"markdown\":\"" + "m".repeat(80) + "\"}}")).size() == 1);
        assertEquals(List.of(), contract.validate("#/components/schemas/NewMessage", json("{\"content\":{\"subject\":\""
                + "s".repeat(10) + "\",\"markdown\":\"" + "m".repeat(80) + "\"},\"default_addresses\":{}}")));
    }

    // ------------------------------------------------------------------ the template

    @Test
    void everyApiRouteOfTheTemplateIsDocumented() throws Exception {
        Set<String> undocumented = new TreeSet<>(apiRoutes(templateStack()));
        undocumented.removeAll(documentedRoutes());
        assertEquals(Set.of(), undocumented, "routed in template.yaml but missing from openapi.yaml");
    }

    @Test
    void everyDocumentedRouteIsInTheTemplate() throws Exception {
        Set<String> unrouted = new TreeSet<>(documentedRoutes());
        unrouted.removeAll(apiRoutes(templateStack()));
        assertEquals(Set.of(), unrouted, "documented in openapi.yaml but not routed by template.yaml");
    }

    @Test
    void theCitizenApiRoutesAndOpenapiCitizenYamlMatch() throws Exception {
        OpenApiContract citizen = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));
        assertEquals(apiRoutes(templateStack(), "CitizenApi"), documentedRoutes(citizen),
                "CitizenApi routes of template.yaml against the paths of openapi-citizen.yaml");
        assertFalse(apiRoutes(templateStack(), "CitizenApi").isEmpty());
    }

    @Test
    void thePaymentsApiRoutesAndOpenapiPaymentsYamlMatch() throws Exception {
        OpenApiContract payments = OpenApiContract.load(Path.of("..", "openapi-payments.yaml"));
        Set<String> routed = new TreeSet<>();
        for (FunctionSpec function : FunctionSpec.all(templateStack())) {
            for (FunctionSpec.HttpRoute route : function.httpRoutes()) {
                if (route.apiLogicalId().equals("PaymentsApi")) {
                    routed.add(route.method() + " " + route.path());
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        payments.operations().forEach(operation -> documented.add(operation.toString()));
        assertEquals(routed, documented, "PaymentsApi routes of template.yaml against openapi-payments.yaml");
        assertFalse(routed.isEmpty());
    }

    @Test
    void localOnlyRoutesStayOutOfTheSpec() {
        for (String route : documentedRoutes()) {
            assertFalse(route.contains("/_local/"), route);
        }
        assertEquals(documentedRoutes().size(), contract.operations().size(), "every documented route is under /api/");
    }

    static Set<String> documentedRoutes() {
        return documentedRoutes(contract);
    }

    static Set<String> documentedRoutes(OpenApiContract spec) {
        Set<String> routes = new TreeSet<>();
        for (OpenApiContract.Operation operation : spec.operations()) {
            if (operation.pathTemplate().startsWith("/api/")) {
                routes.add(operation.toString());
            }
        }
        return routes;
    }

    /** The {@code METHOD /path} of every route of the Services API (HttpApi) under {@code /api/}. */
    static Set<String> apiRoutes(Stack stack) {
        return apiRoutes(stack, "HttpApi");
    }

    static Set<String> apiRoutes(Stack stack, String apiLogicalId) {
        Set<String> routes = new TreeSet<>();
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            for (FunctionSpec.HttpRoute route : function.httpRoutes()) {
                if (route.apiLogicalId().equals(apiLogicalId) && route.path().startsWith("/api/")) {
                    routes.add(GREEDY_PARAMETER.matcher(route.routeKey()).replaceAll("{$1}"));
                }
            }
        }
        return routes;
    }

    private static Stack templateStack() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("..", "template.yaml"));
        Map<String, String> parameters = new HashMap<>();
        template.parameters().forEach((name, value) -> {
            if (value instanceof Map<?, ?> parameter && !parameter.containsKey("Default")) {
                parameters.put(name, "spec-test-value-for-a-parameter-without-default-0123456789");
            }
        });
        Stack stack = new Stack(template, "io-spec-test", "eu-south-1", "000000000000", parameters);
        for (Resource queue : template.ofType(SamTemplate.QUEUE)) {
            stack.queueCreated(queue.logicalId(), "http://localhost/000000000000/" + stack.physicalName(queue.logicalId()));
        }
        // KMS gives a key its id when it is created; Ref of a key is that id.
        for (Resource key : template.ofType(SamTemplate.KMS_KEY)) {
            stack.keyCreated(key.logicalId(), java.util.UUID.nameUUIDFromBytes(key.logicalId().getBytes()).toString());
        }
        return stack;
    }

    // ------------------------------------------------------------------ strictness

    @Test
    void everyObjectInAResponseSchemaIsClosed() {
        List<String> open = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Example example : examples(false)) {
            closedObjects(contract.pointer(example.schemaRef()), example.schemaRef(), seen, open);
        }
        assertTrue(seen.size() >= 8, "response schemas walked: " + seen);
        assertEquals(List.of(), open);
    }

    private static void closedObjects(JsonNode schema, String where, Set<String> seen, List<String> open) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (seen.add(ref)) {
                closedObjects(contract.pointer(ref), ref, seen, open);
            }
        }
        boolean objectShaped = schema.has("properties") || "object".equals(schema.path("type").asText());
        boolean closed = schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()
                || schema.path("unevaluatedProperties").isBoolean() && !schema.path("unevaluatedProperties").asBoolean();
        if (objectShaped && !closed) {
            open.add(where + ": needs additionalProperties: false or unevaluatedProperties: false");
        }
        schema.path("properties").fields().forEachRemaining(p -> closedObjects(p.getValue(), where + "/properties/" + p.getKey(), seen, open));
        closedObjects(schema.get("items"), where + "/items", seen, open);
        for (String list : List.of("allOf", "anyOf", "oneOf")) {
            for (int i = 0; i < schema.path(list).size(); i++) {
                if (!closed) {
                    closedObjects(schema.path(list).get(i), where + "/" + list + "/" + i, seen, open);
                }
            }
        }
    }

    @Test
    void theValidatorRejectsAnExtraPropertyAnywhereInAResponse() {
        List<String> accepted = new ArrayList<>();
        int mutations = 0;
        for (Example example : examples(false)) {
            for (String pointer : pointers(example.value(), "", true)) {
                JsonNode copy = example.value().deepCopy();
                ((ObjectNode) copy.at(pointer)).put("unexpected_property", "surprise");
                mutations++;
                if (contract.validate(example.schemaRef(), copy).isEmpty()) {
                    accepted.add(example.where() + " accepted an extra property at '" + pointer + "'");
                }
            }
        }
        assertEquals(List.of(), accepted);
        assertTrue(mutations >= 20, "mutations tried: " + mutations);
    }

    @Test
    void theValidatorRejectsAWrongTypeAnywhereInAResponse() {
        List<String> accepted = new ArrayList<>();
        int mutations = 0;
        for (Example example : examples(false)) {
            for (String pointer : pointers(example.value(), "", false)) {
                if (pointer.isEmpty()) {
                    continue;
                }
                JsonNode original = example.value().at(pointer);
                JsonNode wrong = original.isTextual() ? IntNode.valueOf(7)
                        : original.isNumber() || original.isBoolean() ? TextNode.valueOf(original.asText())
                        : TextNode.valueOf("not " + (original.isArray() ? "an array" : "an object"));
                JsonNode copy = example.value().deepCopy();
                replace(copy, pointer, wrong);
                mutations++;
                if (contract.validate(example.schemaRef(), copy).isEmpty()) {
                    accepted.add(example.where() + " accepted " + wrong + " in place of " + original + " at '" + pointer + "'");
                }
            }
        }
        assertEquals(List.of(), accepted);
        assertTrue(mutations >= 50, "mutations tried: " + mutations);
    }

    @Test
    void theValidatorRejectsAMissingRequiredPropertyOfAResponse() {
        assertFalse(contract.validate("#/components/schemas/ExternalMessageResponseWithContent",
                json("{\"status\":\"PROCESSED\"}")).isEmpty());
        assertFalse(contract.validate("#/components/schemas/LimitedProfile", json("{\"preferred_languages\":[]}")).isEmpty());
        assertFalse(contract.validate("#/components/schemas/ProblemJson",
                json("{\"type\":\"about:blank\",\"title\":\"t\",\"status\":400}")).isEmpty());
        // a REJECTED detail names its reason, and only a REJECTED one has one
        JsonNode detail = contract.pointer("#/paths/~1api~1v2~1messages~1{fiscal_code}~1{id}/get/responses/200/content/application~1json/examples/rejected/value");
        ObjectNode withoutReason = detail.deepCopy();
        withoutReason.remove("rejection_reason");
        assertFalse(contract.validate("#/components/schemas/MessageDetail", withoutReason).isEmpty());
        ObjectNode processedWithReason = detail.deepCopy();
        processedWithReason.put("status", "PROCESSED");
        assertFalse(contract.validate("#/components/schemas/MessageDetail", processedWithReason).isEmpty());
        // a reminder names its kind and time, and only IO's two kinds exist
        JsonNode reminded = contract.pointer("#/paths/~1api~1v2~1messages~1{fiscal_code}~1{id}/get/responses/200/content/application~1json/examples/reminded/value");
        assertEquals(List.of(), contract.validate("#/components/schemas/MessageDetail", reminded));
        ObjectNode withoutTime = reminded.deepCopy();
        ((ObjectNode) withoutTime.path("reminders").get(0)).remove("sent_at");
        assertFalse(contract.validate("#/components/schemas/MessageDetail", withoutTime).isEmpty());
        ObjectNode otherKind = reminded.deepCopy();
        ((ObjectNode) otherKind.path("reminders").get(0)).put("kind", "REMINDER_READ");
        assertFalse(contract.validate("#/components/schemas/MessageDetail", otherKind).isEmpty());
        // a batch result has an id exactly when it is 201
        assertFalse(contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":0,\"status\":201}")).isEmpty());
        String problem400 = "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":400,\"detail\":\"d\"}";
        assertFalse(contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":0,\"status\":400}")).isEmpty());
        assertFalse(contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":0,\"status\":400,\"id\":\"01J0Z8D6Q2X3V4W5Y6Z7A8B9C0\",\"problem\":" + problem400 + "}")).isEmpty());
        assertFalse(contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":0,\"status\":201,\"id\":\"01J0Z8D6Q2X3V4W5Y6Z7A8B9C0\",\"problem\":" + problem400 + "}")).isEmpty());
        // a 503 may name the message that was stored but not queued
        assertEquals(List.of(), contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":3,\"status\":503,\"id\":\"01J0Z8D6Q2X3V4W5Y6Z7A8B9C0\",\"problem\":"
                        + problem400.replace("400", "503") + "}")));
        assertFalse(contract.validate("#/components/schemas/NewMessageBatchResult",
                json("{\"index\":0,\"status\":302,\"problem\":{\"type\":\"about:blank\",\"title\":\"t\",\"status\":302,\"detail\":\"d\"}}")).isEmpty());
    }

    // ------------------------------------------------------------------ the contract check itself

    @Test
    void theContractAcceptsAConformingResponseAndNamesEveryViolation() {
        String template = "/api/v1/messages/{fiscal_code}";
        String created = "{\"id\":\"01J0Z8D6Q2X3V4W5Y6Z7A8B9C0\"}";
        Map<String, List<String>> good = Map.of(
                "Content-Type", List.of("application/json; charset=utf-8"),
                "Location", List.of("/api/v1/messages/RSSMRA80A01H501U/01J0Z8D6Q2X3V4W5Y6Z7A8B9C0"),
                "X-RateLimit-Limit", List.of("150"),
                "X-RateLimit-Remaining", List.of("149"));
        assertEquals(List.of(), contract.responseViolations("POST", template, 201, headers(good), created));

        assertViolation("status 418 is not documented", contract.responseViolations("POST", template, 418, headers(good), created));
        assertViolation("operation DELETE", contract.responseViolations("DELETE", template, 201, headers(good), created));
        assertViolation("Content-Type: text/plain is not documented", contract.responseViolations("POST", template, 201,
                headers(with(good, "Content-Type", "text/plain")), created));
        assertViolation("Content-Type: application/json is not documented", contract.responseViolations("POST", template,
                400, headers(good), "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":400,\"detail\":\"d\"}"));
        assertViolation("header Location: required but absent", contract.responseViolations("POST", template, 201,
                headers(with(good, "Location", null)), created));
        assertViolation("header X-RateLimit-Remaining 'lots'", contract.responseViolations("POST", template, 201,
                headers(with(good, "X-RateLimit-Remaining", "lots")), created));
        assertViolation("header X-RateLimit-Remaining '-1'", contract.responseViolations("POST", template, 201,
                headers(with(good, "X-RateLimit-Remaining", "-1")), created));
        assertViolation("header Location '/api/v1/messages/x/y'", contract.responseViolations("POST", template, 201,
                headers(with(good, "Location", "/api/v1/messages/x/y")), created));
        assertViolation("body: not JSON", contract.responseViolations("POST", template, 201, headers(good), "{id:"));
        assertViolation("property 'extra' is not defined", contract.responseViolations("POST", template, 201, headers(good),
                "{\"id\":\"01J0Z8D6Q2X3V4W5Y6Z7A8B9C0\",\"extra\":1}"));
        assertViolation("body $.id", contract.responseViolations("POST", template, 201, headers(good), "{\"id\":\"lowercase-id\"}"));
        assertViolation("body: absent", contract.responseViolations("POST", template, 201, headers(good), ""));
        // a 401 has no rate-limit headers to give, and is not required to
        assertEquals(List.of(), contract.responseViolations("POST", template, 401,
                headers(Map.of("Content-Type", List.of("application/problem+json"))),
                "{\"type\":\"urn:io-serverless:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                        + "\"detail\":\"Ocp-Apim-Subscription-Key: required\"}"));
    }

    @Test
    void aConcretePathFallsUnderTheMostLiteralTemplate() {
        assertEquals("/api/v1/messages/batch", contract.pathTemplateOf("/api/v1/messages/batch").orElseThrow());
        assertEquals("/api/v1/messages/{fiscal_code}", contract.pathTemplateOf("/api/v1/messages/RSSMRA80A01H501U").orElseThrow());
        assertEquals("/api/v1/messages/{fiscal_code}/{id}",
                contract.pathTemplateOf("/api/v1/messages/RSSMRA80A01H501U/01J0Z8D6Q2X3V4W5Y6Z7A8B9C0").orElseThrow());
        assertTrue(contract.pathTemplateOf("/_local/health").isEmpty());
        assertTrue(contract.pathTemplateOf("/api/v1/messages//x").isEmpty());
    }

    private static void assertViolation(String expected, List<String> violations) {
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                "expected a violation containing '" + expected + "', got " + violations);
    }

    private static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> copy = new HashMap<>(headers);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, List.of(value));
        }
        return copy;
    }

    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (name, value) -> true);
    }

    // ------------------------------------------------------------------ helpers

    /** An example body from the document with the schema it illustrates. */
    record Example(String where, String schemaRef, JsonNode value) {
    }

    /** The examples of every JSON response ({@code all}) or of those under /api/ only. */
    private static List<Example> examples(boolean all) {
        List<Example> examples = new ArrayList<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            if (!all && !operation.pathTemplate().startsWith("/api/")) {
                continue;
            }
            operation.node().path("responses").fields().forEachRemaining(entry ->
                    contract.resolve(entry.getValue()).path("content").fields().forEachRemaining(media -> {
                        if (media.getValue().has("example")) {
                            examples.add(new Example(operation + " " + entry.getKey() + " " + media.getKey(),
                                    media.getValue().path("schema").path("$ref").asText(), media.getValue().get("example")));
                        }
                        // Named examples too (OpenAPI's "examples": name -> {summary, value}).
                        media.getValue().path("examples").fields().forEachRemaining(named ->
                                examples.add(new Example(operation + " " + entry.getKey() + " " + media.getKey() + " "
                                        + named.getKey(), media.getValue().path("schema").path("$ref").asText(),
                                        named.getValue().get("value"))));
                    }));
        }
        return examples;
    }

    private static List<Example> requestExamples() {
        List<Example> examples = new ArrayList<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            JsonNode body = contract.resolve(operation.node().get("requestBody"));
            if (body == null) {
                continue;
            }
            body.path("content").fields().forEachRemaining(media -> {
                if (media.getValue().has("example")) {
                    examples.add(new Example(operation + " request " + media.getKey(),
                            media.getValue().path("schema").path("$ref").asText(), media.getValue().get("example")));
                }
            });
        }
        return examples;
    }

    /** JSON pointers of every object ({@code objectsOnly}) or every node, the root included. */
    private static List<String> pointers(JsonNode node, String at, boolean objectsOnly) {
        List<String> pointers = new ArrayList<>();
        if (node.isObject()) {
            pointers.add(at);
            node.fields().forEachRemaining(e -> pointers.addAll(pointers(e.getValue(),
                    at + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), objectsOnly)));
        } else if (node.isArray()) {
            if (!objectsOnly) {
                pointers.add(at);
            }
            for (int i = 0; i < node.size(); i++) {
                pointers.addAll(pointers(node.get(i), at + "/" + i, objectsOnly));
            }
        } else if (!objectsOnly) {
            pointers.add(at);
        }
        return pointers;
    }

    private static void replace(JsonNode root, String pointer, JsonNode value) {
        JsonPointer path = JsonPointer.compile(pointer);
        JsonNode parent = root.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            node.fields().forEachRemaining(e -> walk(e.getValue(), pointer + "/" + e.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static int countRefs(JsonNode node) {
        int[] count = {0};
        walk(node, "", (pointer, n) -> {
            if (n.path("$ref").isTextual()) {
                count[0]++;
            }
        });
        return count[0];
    }

    private static JsonNode schema(String name) {
        return document.path("components").path("schemas").path(name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
