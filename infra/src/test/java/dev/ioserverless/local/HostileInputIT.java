package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.OpenApiRoutes.Api;
import dev.ioserverless.local.OpenApiRoutes.Route;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Hostile input on every public route of the local gateway, the routes read from the three
 * OpenAPI files ({@link OpenApiRoutes}): random bytes, mutated valid bodies (fields dropped,
 * duplicated or retyped, strings at boundary lengths, 10,000 levels of nesting, numbers such as
 * 1e400 and 40-digit integers), invalid UTF-8 and duplicate keys, wrong and huge headers, and path
 * and query values built for traversal ({@code ..%2F}, {@code %00}, {@code %2e%2e}, very long ids).
 *
 * <p>Every request carries valid credentials, so that it reaches the handler: the world's API key
 * on the Services API, its citizen's JWT on the citizen API, and on the payment callback a
 * signature computed over the mutated body itself (so the body checks run), or, for some tries, no
 * signature at all. For every request:
 * <ul>
 *   <li>no 5xx;
 *   <li>a 4xx is {@code application/problem+json} with a JSON body whose {@code status} is the
 *       response's. The one exception is read from the OpenAPI files: a status whose documented
 *       responses are all of another media type keeps that type (IO's {@code PaymentFault}, the
 *       404 and 409 of {@code GET /api/v1/payment-info/{rptId}}, is {@code application/json});
 *   <li>a 4xx leaves no write behind: the items of every DynamoDB table of the platform (each
 *       counted by a Scan with the SDK against DynamoDB Local) are as many after it as before,
 *       except in {@code RateLimitsTable}, whose per-service window counter is meant to count
 *       rejected requests too (a key's invalid and forbidden requests count against its limit, as
 *       IO's gateway counts them; see {@code ServicesApi}), and gains an item when a request
 *       opens a new 5-second window.
 * </ul>
 * A 2xx may write; the test then waits until every queue a function consumes is empty before it
 * counts again, so that the pipeline's asynchronous writes never land between two counts.
 *
 * <p>Runs are deterministic: every property has a fixed {@code seed} ({@value #SEED}) and a fixed
 * number of tries (310 in all, plus the examples), chosen so the class runs in well under 90 s on
 * a 2-core machine: about 32 s measured, 66 s with another build loading the machine to 10. Shrinking is
 * off: a failing sample is reported as generated, and a real bug found here is kept as an
 * {@link Example} below.
 */
class HostileInputIT {
    static final String SEED = "20261203";

    private static RouteFixtures world;
    private static Map<String, Long> counts;

    private static synchronized RouteFixtures world() {
        if (world == null) {
            world = RouteFixtures.create();
            RouteFixtures.awaitPipelineIdle();
            counts = RouteFixtures.countItems();
        }
        return world;
    }

    /** Each property (and example) counts from a quiet platform: what an earlier one wrote is not this one's. */
    @BeforeProperty
    void countFromAnIdlePipeline() {
        world();
        synchronized (HostileInputIT.class) {
            RouteFixtures.awaitPipelineIdle();
            counts = RouteFixtures.countItems();
        }
    }

    // ------------------------------------------------------------------ the routes

    @Example
    void theRoutesComeFromAllThreeOpenApiFiles() {
        List<Route> routes = OpenApiRoutes.all();
        assertFalse(routes.isEmpty());
        for (Api api : Api.values()) {
            assertFalse(OpenApiRoutes.of(api).isEmpty(), api + " has routes");
        }
        Set<String> names = routes.stream().map(Route::toString).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("POST /api/v1/messages/{fiscal_code}", "GET /api/v1/receipts/{eventId}/pdf",
                "PUT /api/v1/installations/{installationID}", "POST /payments/v1/callback")), names.toString());
    }

    /**
     * Found while probing what a signed callback may store: a receipt paid at
     * {@code +999999999-12-31T23:59:59Z} was kept (202), and its PDF was then a 500 whenever the
     * citizen opened it (the receipts list and its continuation token, too, only cover 1970 to
     * 9999). A {@code paid_at} outside that range is a 400 naming it now, and nothing is kept.
     */
    @Example
    void aCallbackPaidAtOutsideTheReceiptsRangeIsA400AndKeepsNothing() {
        RouteFixtures world = world();
        Route callback = OpenApiRoutes.of(Api.PAYMENTS).stream()
                .filter(route -> route.toString().equals("POST /payments/v1/callback")).findFirst().orElseThrow();
        for (String paidAt : List.of("+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z")) {
            String receiptId = "rcpt-far-" + java.util.UUID.randomUUID();
            String body = PaymentCallbackIT.receiptBody(receiptId, PaymentCallbackIT.noticeNumber(), 4200, world.fiscalCode, null)
                    .replace("2026-11-20T09:30:00Z", paidAt);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.putAll(world.credentials(callback, bytes));
            HttpResponse<String> response = RouteFixtures.send(URI.create(Api.PAYMENTS.base() + callback.template()),
                    callback.method(), headers, bytes);
            AuthorizationIT.assertProblem(response, 400, "paid_at");
            assertTrue(PaymentCallbackIT.storedReceipt(receiptId).isEmpty(), paidAt + ": no receipt kept");
        }
    }

    @Provide
    Arbitrary<Route> routes() {
        // Every route as likely as another: no edge case favours the first of the list.
        return Arbitraries.of(OpenApiRoutes.all()).withoutEdgeCases();
    }

    // ------------------------------------------------------------------ random bytes

    @Property(tries = 50, seed = SEED, shrinking = ShrinkingMode.OFF)
    void randomBytesAsTheBody(@ForAll("routes") Route route, @ForAll("randomBytes") byte[] body, @ForAll boolean signed) {
        check(route, world().pathValuesFor(route), Map.of("Content-Type", "application/json"), body, signed);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(4096);
    }

    // ------------------------------------------------------------------ mutated valid bodies

    /**
     * What a mutation does at one place of a valid body: drops it, gives it twice, replaces it, or
     * widens it (an array to many copies of its first item, an object to many more keys).
     */
    enum Kind { DROP, DUPLICATE, REPLACE, WIDEN }

    /** How wide {@link Kind#WIDEN} makes an array or object: around the batch's 100 items, and far beyond. */
    static final List<Integer> WIDTHS = List.of(2, 99, 100, 101, 1_000, 5_000);

    record Mutation(int place, Kind kind, String raw, int width) {
        Mutation(int place, Kind kind, String raw) {
            this(place, kind, raw, 2);
        }
    }

    /** Raw JSON texts put in place of a value: other types, boundary lengths, deep nesting, huge numbers. */
    static final List<String> REPLACEMENTS = List.of(
            "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "1e-400",
            "1234567890123456789012345678901234567890", "-1234567890123456789012345678901234567890",
            "9999999999", "10000000000", "9223372036854775808", "NaN", "Infinity",
            "\"\"", "\" \"", "[]", "{}", "[null]", "{\"a\":null}", "\"2026-02-30T25:61:00Z\"", "\"ADVANCED\"",
            "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"",
            "\"1969-12-31T23:59:59.999Z\"",
            string(9), string(10), string(80), string(119), string(120), string(121), string(10_000), string(10_001),
            string(65_536), "\"" + "\\u00e8".repeat(121) + "\"",
            "[".repeat(10_000) + "]".repeat(10_000), "[".repeat(10_000), "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));

    private static String string(int length) {
        return "\"" + "x".repeat(length) + "\"";
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 1_000), Arbitraries.of(Kind.class),
                Arbitraries.of(REPLACEMENTS), Arbitraries.of(WIDTHS)).as(Mutation::new);
    }

    @Property(tries = 80, seed = SEED, shrinking = ShrinkingMode.OFF)
    void mutatedValidBodies(@ForAll("routes") Route route, @ForAll("mutations") Mutation mutation, @ForAll boolean signed) {
        String valid = world().validBody(route);
        String body = valid.isEmpty() ? mutation.raw() : mutate(valid, mutation);
        check(route, world().pathValuesFor(route), Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), signed);
    }

    /** The places of a JSON tree, root first: each a path of object keys and array indexes. */
    static List<List<Object>> places(JsonNode node) {
        List<List<Object>> out = new ArrayList<>();
        collect(node, new ArrayList<>(), out);
        return out;
    }

    private static void collect(JsonNode node, List<Object> at, List<List<Object>> out) {
        out.add(List.copyOf(at));
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                at.add(field.getKey());
                collect(field.getValue(), at, out);
                at.remove(at.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                at.add(i);
                collect(node.get(i), at, out);
                at.remove(at.size() - 1);
            }
        }
    }

    /** The valid body written out again with the mutation at one of its places (the root is replaced whole). */
    static String mutate(String valid, Mutation mutation) {
        JsonNode tree = Json.read(valid);
        List<List<Object>> places = places(tree);
        List<Object> target = places.get(mutation.place() % places.size());
        StringBuilder out = new StringBuilder();
        write(tree, new ArrayList<>(), target, mutation, out);
        return out.toString();
    }

    private static void write(JsonNode node, List<Object> at, List<Object> target, Mutation mutation, StringBuilder out) {
        if (at.equals(target) && mutation.kind() == Kind.WIDEN) {
            widen(node, mutation.width(), out);
            return;
        }
        if (at.equals(target) && (at.isEmpty() || mutation.kind() == Kind.REPLACE)) {
            out.append(mutation.raw());
            return;
        }
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                at.add(field.getKey());
                boolean here = at.equals(target);
                if (!(here && mutation.kind() == Kind.DROP)) {
                    first = separate(first, out);
                    out.append(Json.write(field.getKey())).append(':');
                    write(field.getValue(), at, target, mutation, out);
                    if (here && mutation.kind() == Kind.DUPLICATE) {
                        out.append(',').append(Json.write(field.getKey())).append(':').append(mutation.raw());
                    }
                }
                at.remove(at.size() - 1);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (int i = 0; i < node.size(); i++) {
                at.add(i);
                boolean here = at.equals(target);
                if (!(here && mutation.kind() == Kind.DROP)) {
                    first = separate(first, out);
                    write(node.get(i), at, target, mutation, out);
                    if (here && mutation.kind() == Kind.DUPLICATE) {
                        out.append(',').append(mutation.raw());
                    }
                }
                at.remove(at.size() - 1);
            }
            out.append(']');
        } else {
            out.append(Json.write(node));
        }
    }

    /** An array as {@code width} copies of its first item, an object with {@code width} more keys, a scalar as it is. */
    private static void widen(JsonNode node, int width, StringBuilder out) {
        if (node.isArray()) {
            String item = node.isEmpty() ? "1" : Json.write(node.get(0));
            out.append('[').append(String.join(",", java.util.Collections.nCopies(width, item))).append(']');
        } else if (node.isObject()) {
            String first = node.isEmpty() ? "1" : Json.write(node.elements().next());
            String written = Json.write(node);
            out.append(written, 0, written.length() - 1);
            for (int i = 0; i < width; i++) {
                out.append(node.isEmpty() && i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(first);
            }
            out.append('}');
        } else {
            out.append(Json.write(node));
        }
    }

    private static boolean separate(boolean first, StringBuilder out) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    // ------------------------------------------------------------------ invalid UTF-8 and duplicate keys

    /** Byte sequences UTF-8 forbids: overlong forms, lone continuation bytes, encoded surrogates, beyond U+10FFFF. */
    static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xC0, (byte) 0xBC}, new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF},
            new byte[] {(byte) 0x80}, new byte[] {(byte) 0xBF}, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB2, (byte) 0xA9},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xC3});

    /** Where the bad bytes go: inside a string value, inside a key, or a key given twice. */
    enum Spot { VALUE, KEY, DUPLICATE_KEY }

    @Property(tries = 50, seed = SEED, shrinking = ShrinkingMode.OFF)
    void invalidUtf8AndDuplicateKeys(@ForAll("routes") Route route, @ForAll("invalidUtf8") byte[] bad,
                                     @ForAll Spot spot, @ForAll("places") int place) {
        String valid = world().validBody(route);
        byte[] body = valid.isEmpty() ? bytes("{\"a\":\"", bad, "\"}") : misencode(valid, bad, spot, place);
        check(route, world().pathValuesFor(route), Map.of("Content-Type", "application/json; charset=utf-8"), body, true);
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(INVALID_UTF8);
    }

    @Provide
    Arbitrary<Integer> places() {
        return Arbitraries.integers().between(0, 1_000);
    }

    /**
     * The valid body with the bad bytes in the string value (or key) of one of its fields; with
     * {@link Spot#DUPLICATE_KEY}, that field given a second time, with another value.
     */
    static byte[] misencode(String valid, byte[] bad, Spot spot, int place) {
        JsonNode tree = Json.read(valid);
        List<List<Object>> all = places(tree);
        List<List<Object>> fields = all.stream()
                .filter(path -> !path.isEmpty() && path.get(path.size() - 1) instanceof String).toList();
        String marker = "@@MARK@@";
        String text;
        if (fields.isEmpty()) {
            text = "{\"k" + marker + "\":" + valid + "}";
        } else {
            List<Object> target = fields.get(place % fields.size());
            int index = all.indexOf(target);
            StringBuilder out = new StringBuilder();
            switch (spot) {
                case VALUE -> write(tree, new ArrayList<>(), target,
                        new Mutation(index, Kind.REPLACE, Json.write("text " + marker + " text")), out);
                case DUPLICATE_KEY -> write(tree, new ArrayList<>(), target,
                        new Mutation(index, Kind.DUPLICATE, Json.write("other " + marker)), out);
                case KEY -> {
                    String key = Json.write(target.get(target.size() - 1)) + ":";
                    String plain = Json.write(tree);
                    int at = plain.indexOf(key) + key.length() - 2;
                    out.append(plain, 0, at).append(marker).append(plain.substring(at));
                }
            }
            text = out.toString();
        }
        String[] around = text.split(marker, 2);
        return bytes(around[0], bad, around[1]);
    }

    static byte[] bytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ headers, path and query values

    static final String HUGE = "h".repeat(64 * 1024);

    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/json; charset=utf-16",
            "application/jsonx", "application/problem+json", "*/*", "", "application/json;;;", HUGE);

    /** Values for a path or query parameter, already URI-encoded as a client would send them. */
    static final List<String> HOSTILE_VALUES = List.of("..%2F..%2F", "..%2F..%2Fprofile", "%2e%2e", "%2e%2e%2f%2e%2e%2f",
            "%252e%252e%252f", "..", ".", "%00", "a%00b", "%C0%AE%C0%AE", "%FF%FE", "%ED%A0%80", "%0D%0AX-Injected:%201",
            "%20", "%2F", "%5C..%5C", ";", "*", "%25", "A".repeat(10_000), "0".repeat(2_000), "-1", "1e400",
            "RSSMRA80A01H501U%00", "rssmra80a01h501u", "%7B%7D", "%22%27%3C%3E", "",
            "1&page_size=2&size=3&x=1&x=2", "=&=&==", "true&is_payer=maybe", "%E2%80%AE", "%F0%9F%93%A8".repeat(500));

    /** Which header a try makes hostile. */
    enum HeaderTwist { CONTENT_TYPE, HUGE_HEADER, IDEMPOTENCY_KEY, FORWARDED_FOR }

    @Property(tries = 50, seed = SEED, shrinking = ShrinkingMode.OFF)
    void hostileHeaders(@ForAll("routes") Route route, @ForAll HeaderTwist twist,
                        @ForAll("contentTypes") String contentType, @ForAll boolean huge) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        switch (twist) {
            case CONTENT_TYPE -> headers.put("Content-Type", contentType);
            case HUGE_HEADER -> headers.put("X-Hostile", HUGE);
            case IDEMPOTENCY_KEY -> headers.put("Idempotency-Key", huge ? HUGE : contentType.isEmpty() ? " " : "k\u00e8y");
            case FORWARDED_FOR -> headers.put("X-Forwarded-For", huge ? HUGE : "::1, 10.0.0.1, not-an-address");
        }
        byte[] body = world().validBody(route).getBytes(StandardCharsets.UTF_8);
        if (headers.get("Content-Type").equals("application/x-www-form-urlencoded")) {
            body = "content=1&content=2".getBytes(StandardCharsets.UTF_8);
        }
        check(route, world().pathValuesFor(route), headers, body, true);
    }

    /**
     * A hostile value in one path parameter of the route (or, for a route without any, in a query
     * parameter), or in one of the query parameters the route documents.
     */
    @Property(tries = 80, seed = SEED, shrinking = ShrinkingMode.OFF)
    void hostilePathAndQueryValues(@ForAll("routes") Route route, @ForAll("hostileValues") String value,
                                   @ForAll boolean inPath, @ForAll("places") int which) {
        Map<String, String> pathValues = new LinkedHashMap<>(world().pathValuesFor(route));
        String query = "";
        if (inPath && !route.pathParameters().isEmpty()) {
            pathValues.put(route.pathParameters().get(which % route.pathParameters().size()), value);
        } else {
            List<String> names = route.queryParameters().isEmpty() ? List.of("x") : route.queryParameters();
            query = "?" + names.get(which % names.size()) + "=" + value;
        }
        check(route, pathValues, Map.of("Content-Type", "application/json"),
                world().validBody(route).getBytes(StandardCharsets.UTF_8), true, query);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(CONTENT_TYPES);
    }

    @Provide
    Arbitrary<String> hostileValues() {
        return Arbitraries.of(HOSTILE_VALUES);
    }

    // ------------------------------------------------------------------ the assertions

    private static void check(Route route, Map<String, String> pathValues, Map<String, String> headers, byte[] body,
                              boolean signed) {
        check(route, pathValues, headers, body, signed, "");
    }

    private static synchronized void check(Route route, Map<String, String> pathValues, Map<String, String> headers,
                                           byte[] body, boolean signed, String query) {
        RouteFixtures world = world();
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (route.api() != Api.PAYMENTS || signed) {
            all.putAll(world.credentials(route, body));
        }
        URI uri = URI.create(route.api().base() + route.path(pathValues) + query);
        HttpResponse<String> response = RouteFixtures.send(uri, route.method(), all, body);
        int status = response.statusCode();
        String what = route + " as " + abbreviate(uri.toString()) + " with " + abbreviate(new String(body, StandardCharsets.UTF_8))
                + " -> " + status + " " + abbreviate(response.body());
        assertTrue(status < 500, "no 5xx: " + what);
        if (status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            List<String> documented = route.typesFor(status);
            if (!documented.isEmpty() && !documented.contains("application/problem+json")) {
                assertTrue(documented.contains(type), "a documented " + documented + ": " + what);
            } else {
                assertEquals("application/problem+json", type, what);
                JsonNode problem = RouteFixtures.readJson(response.body());
                assertNotNull(problem, "a JSON body: " + what);
                assertEquals(status, problem.path("status").asInt(), what);
            }
            Map<String, Long> after = RouteFixtures.countItems();
            assertEquals(counts, after, "a rejected request writes nothing: " + what);
        } else {
            RouteFixtures.awaitPipelineIdle();
            if (!route.method().equals("GET")) {
                readBack(world, response, what);
            }
            counts = RouteFixtures.countItems();
        }
    }

    /**
     * What an accepted write stored is read back by every GET route that names an id the write
     * answered ({@code id}, {@code receipt_id}), as the world's own callers would read it:
     * stored hostile data must not break a later read (a receipt of a far-future payment once
     * made its PDF a 500).
     */
    private static void readBack(RouteFixtures world, HttpResponse<String> written, String what) {
        JsonNode answer = RouteFixtures.readJson(written.body());
        Map<String, String> values = new LinkedHashMap<>(world.pathValues());
        Set<String> answered = new java.util.HashSet<>();
        if (answer != null && answer.path("id").isTextual()) {
            values.put("id", encode(answer.path("id").asText()));
            answered.add("id");
        }
        if (answer != null && answer.path("receipt_id").isTextual()) {
            values.put("eventId", encode(answer.path("receipt_id").asText()));
            answered.add("eventId");
        }
        for (Route read : OpenApiRoutes.all()) {
            if (!read.method().equals("GET") || read.pathParameters().stream().noneMatch(answered::contains)) {
                continue;
            }
            Map<String, String> pathValues = new LinkedHashMap<>();
            read.pathParameters().forEach(name -> pathValues.put(name, values.getOrDefault(name, "unknown-" + name)));
            HttpResponse<String> response = RouteFixtures.send(URI.create(read.api().base() + read.path(pathValues)), "GET",
                    world.credentials(read, new byte[0]), new byte[0]);
            assertTrue(response.statusCode() < 500, "what was stored reads back without a 5xx: " + read + " -> "
                    + response.statusCode() + " " + abbreviate(response.body()) + ", after " + what);
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
    }
}
