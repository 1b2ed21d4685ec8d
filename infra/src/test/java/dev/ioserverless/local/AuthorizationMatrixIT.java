package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.OpenApiRoutes.Api;
import dev.ioserverless.local.OpenApiRoutes.Route;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.local.auth.LocalJwt;
import dev.ioserverless.payments.CallbackSignature;
import dev.ioserverless.services.ServiceGroup;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every route of the three OpenAPI files ({@link OpenApiRoutes}), sent by every caller that must
 * not get what the route gives, pointed at real data of someone else's: citizen A's processed
 * message (with a payment notice) from service S, A's receipt of that notice and A's
 * installation. "An unguessable id is not authorization": every per-resource request names a real
 * id of A's.
 *
 * <p>The rule, as the handlers and the gateway apply it today:
 * <ul>
 *   <li><b>401</b> when the credential is missing, wrong, revoked, expired, signed by another key
 *       or of another audience's kind (a service key on the citizen API, a citizen JWT on the
 *       Services API or the callback). The Services API and the callback answer a problem; the
 *       citizen API's JWT authorizer answers API Gateway's own {@code {"message":"Unauthorized"}}
 *       before any function runs.
 *   <li><b>403</b> when the caller is known but lacks the right: a limited key
 *       ({@code ApiLimitedMessageWrite} only) sending to a recipient it is not authorized for,
 *       reading a message or a profile. In a batch the refusal is the item's: 200 with the
 *       item's status 403 and nothing written for it.
 *   <li><b>404</b> when the data is someone else's and its existence must not leak: another
 *       service reading S's message, citizen B reading or updating A's message, reading A's
 *       receipt or its PDF, or asking the payment info of A's notice (IO's {@code PaymentFault},
 *       {@code PAYMENT_UNKNOWN}, "whoever else it reached").
 *   <li><b>409</b> for B registering A's installation id with another device: installation ids
 *       are the app's, and the registrar refuses the taking over of another citizen's, as it
 *       does today.
 *   <li>A public route ({@code security: []}, the emailed validation link) asks for no
 *       credential: whoever calls it without its {@code token} gets its 404 page, and nothing is
 *       written.
 *   <li>A route with no per-resource id (B's own inbox, profile, receipts, preferences; another
 *       service sending or looking a citizen up under its own rights) serves the caller's own
 *       scope: no 5xx, and nothing of A's or S's in the answer.
 * </ul>
 * Every answer, refused or served, leaks nothing that was not in the request: not A's fiscal
 * code, not the message's subject, not an id of A's or S's (message, receipt, installation,
 * notice, device, service, key). A refused request writes nothing (every table's item count but
 * the rate-limit counters, as in {@link HostileInputIT}), and the covered route list must equal the
 * OpenAPI route list, so a route left open or not covered fails the test.
 *
 * <p>A revoked key: there is no revoke path in the product, so the test does what an operator
 * would do: it deletes the key's item ({@code key_hash}) from {@code ApiKeysTable}, after the key
 * was used once, and lets the platform's clock pass the Services API's service cache
 * ({@code SERVICE_CACHE_SECONDS}), within which a warm instance may still know the key.
 */
class AuthorizationMatrixIT {
    private static final String ISSUER = "io-local-identity-provider";
    private static final String AUDIENCE = "io-local-app";
    private static final String GATEWAY_UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";
    private static final Set<String> PER_RESOURCE = Set.of("id", "eventId", "rptId", "installationID", "configurationId");

    /** What a caller must get on a route. */
    enum Outcome { UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, OWN_SCOPE }

    /** A caller: the APIs it is tried on and the credential headers it sends for a request body. */
    record Caller(String name, Set<Api> apis, Function<byte[], Map<String, String>> credentials) {
    }

    private final RouteFixtures a = RouteFixtures.create();

    @Test
    void everyRouteRefusesEveryCallerWithoutTheRightAndLeaksNothing() {
        List<Route> routes = OpenApiRoutes.all();
        assertFalse(routes.isEmpty());
        for (Api api : Api.values()) {
            assertFalse(OpenApiRoutes.of(api).isEmpty(), api + " has routes");
        }

        String otherCitizen = TestData.citizen();
        String otherToken = CitizenApiIT.token(otherCitizen);
        TestService otherService = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 1_000_000,
                1_000_000);
        TestService limited = TestData.service(EnumSet.of(ServiceGroup.ApiLimitedMessageWrite),
                Set.of(FiscalCodes.random()), List.of(), 0, 1_000_000);
        String revokedKey = revokedKey();
        LocalJwt platformKey = TestPlatform.get().citizenTokenIssuer();
        String expired = platformKey.issue(ISSUER, AUDIENCE, Map.of("fiscal_code", a.fiscalCode), -60);
        String foreign = new LocalJwt(Clock.systemUTC()).issue(ISSUER, AUDIENCE, Map.of("fiscal_code", a.fiscalCode), 600);
        String secret = PaymentCallbackIT.secret();

        List<Caller> callers = List.of(
                new Caller("no credential", EnumSet.allOf(Api.class), body -> Map.of()),
                new Caller("a wrong API key", EnumSet.of(Api.SERVICES),
                        body -> Map.of("Ocp-Apim-Subscription-Key", "0123456789abcdef0123456789abcdef")),
                new Caller("a revoked API key", EnumSet.of(Api.SERVICES),
                        body -> Map.of("Ocp-Apim-Subscription-Key", revokedKey)),
                new Caller("another service's key", EnumSet.of(Api.SERVICES),
                        body -> Map.of("Ocp-Apim-Subscription-Key", otherService.primaryKey())),
                new Caller("a limited key", EnumSet.of(Api.SERVICES),
                        body -> Map.of("Ocp-Apim-Subscription-Key", limited.primaryKey())),
                new Caller("a citizen JWT on the Services API", EnumSet.of(Api.SERVICES, Api.PAYMENTS),
                        body -> Map.of("Authorization", "Bearer " + a.token)),
                new Caller("a malformed token", EnumSet.of(Api.CITIZEN), body -> Map.of("Authorization", "Bearer not-a-jwt")),
                new Caller("an expired JWT", EnumSet.of(Api.CITIZEN), body -> Map.of("Authorization", "Bearer " + expired)),
                new Caller("a JWT signed by another key", EnumSet.of(Api.CITIZEN),
                        body -> Map.of("Authorization", "Bearer " + foreign)),
                new Caller("another citizen's JWT", EnumSet.of(Api.CITIZEN),
                        body -> Map.of("Authorization", "Bearer " + otherToken)),
                new Caller("a service key on the citizen API", EnumSet.of(Api.CITIZEN, Api.PAYMENTS),
                        body -> Map.of("Ocp-Apim-Subscription-Key", a.service.primaryKey(),
                                "Authorization", "Bearer " + a.service.primaryKey())),
                new Caller("a wrong signature", EnumSet.of(Api.PAYMENTS), body -> Map.of(CallbackSignature.HEADER,
                        CallbackSignature.sign("not-the-callback-secret", now(), body))),
                new Caller("a stale signature", EnumSet.of(Api.PAYMENTS), body -> Map.of(CallbackSignature.HEADER,
                        CallbackSignature.sign(secret, now() - CallbackSignature.TOLERANCE.getSeconds() - 60, body))),
                new Caller("a signature of another body", EnumSet.of(Api.PAYMENTS), body -> Map.of(CallbackSignature.HEADER,
                        CallbackSignature.sign(secret, now(), "{}".getBytes(StandardCharsets.UTF_8)))));

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("A's fiscal code", a.fiscalCode);
        secrets.put("the message's subject", a.subject);
        secrets.put("A's message id", a.messageId);
        secrets.put("A's receipt id", a.receiptId);
        secrets.put("A's installation id", a.installationId);
        secrets.put("A's notice number", a.noticeNumber);
        secrets.put("A's device token", a.deviceToken);
        secrets.put("S's service id", a.service.id());
        secrets.put("S's API key", a.service.primaryKey());

        List<String> failures = new ArrayList<>();
        Map<Api, Set<String>> covered = new TreeMap<>();
        Map<String, Integer> refusals = new TreeMap<>();
        RouteFixtures.awaitPipelineIdle();
        Map<String, Long> counts = RouteFixtures.countItems();
        for (Route route : routes) {
            for (Caller caller : callers) {
                if (!caller.apis().contains(route.api())) {
                    continue;
                }
                Outcome expected = expected(caller, route);
                // B naming A's installation from B's own phone; with A's device token it would be the
                // same phone signed in as B, which moves the installation as a token move does.
                String body = caller.name().equals("another citizen's JWT") && route.pathParameters().contains("installationID")
                        ? RouteFixtures.installationBody(InstallationsIT.deviceToken()) : a.validBody(route);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                Map<String, String> headers = new LinkedHashMap<>();
                if (route.hasBody()) {
                    headers.put("Content-Type", "application/json");
                }
                headers.putAll(caller.credentials().apply(bytes));
                URI uri = URI.create(route.api().base() + route.path(a.pathValuesFor(route)));
                HttpResponse<String> response = RouteFixtures.send(uri, route.method(), headers, bytes);
                String what = route + " with " + caller.name() + ": " + response.statusCode() + " " + abbreviate(response.body());
                List<String> wrong = judge(route, caller, expected, response);
                String request = uri + " " + body + " " + headers.values();
                secrets.forEach((name, value) -> {
                    if (!request.contains(value) && response.body().contains(value)) {
                        wrong.add("leaks " + name);
                    }
                });
                if (expected == Outcome.OWN_SCOPE) {
                    RouteFixtures.awaitPipelineIdle();
                    counts = RouteFixtures.countItems();
                } else {
                    refusals.merge(route.toString(), 1, Integer::sum);
                    Map<String, Long> after = RouteFixtures.countItems();
                    if (!after.equals(counts)) {
                        wrong.add("a refused request wrote: " + counts + " -> " + after);
                        counts = after;
                    }
                }
                if (!wrong.isEmpty()) {
                    failures.add(what + " -- expected " + expected + ": " + String.join("; ", wrong));
                }
                covered.computeIfAbsent(route.api(), x -> new TreeSet<>()).add(route.toString());
            }
        }
        assertEquals(List.of(), failures, failures.size() + " wrong answers");
        for (Api api : Api.values()) {
            assertEquals(OpenApiRoutes.of(api).stream().map(Route::toString).collect(Collectors.toCollection(TreeSet::new)),
                    covered.get(api), api + ": every documented route covered");
        }
        Set<String> neverRefused = new LinkedHashSet<>();
        routes.forEach(route -> {
            if (refusals.getOrDefault(route.toString(), 0) < 3) {
                neverRefused.add(route.toString());
            }
        });
        assertEquals(Set.of(), neverRefused, "every route refuses at least three callers");
        assertUntouched();
    }

    /** The rule of the class javadoc, for one caller on one route. */
    private static Outcome expected(Caller caller, Route route) {
        if (route.isPublic()) {
            return Outcome.NOT_FOUND;
        }
        boolean perResource = route.pathParameters().stream().anyMatch(PER_RESOURCE::contains);
        return switch (caller.name()) {
            case "another service's key" -> perResource ? Outcome.NOT_FOUND : Outcome.OWN_SCOPE;
            case "a limited key" -> Outcome.FORBIDDEN;
            case "another citizen's JWT" -> !perResource ? Outcome.OWN_SCOPE
                    : route.pathParameters().contains("installationID") ? Outcome.CONFLICT : Outcome.NOT_FOUND;
            default -> Outcome.UNAUTHORIZED;
        };
    }

    private static List<String> judge(Route route, Caller caller, Outcome expected, HttpResponse<String> response) {
        List<String> wrong = new ArrayList<>();
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            wrong.add("a 5xx");
            return wrong;
        }
        switch (expected) {
            case OWN_SCOPE -> {
                if (status >= 400) {
                    expectProblem(route, status, type, response.body(), wrong);
                }
            }
            case FORBIDDEN -> {
                if (route.toString().equals("POST /api/v1/messages/batch")) {
                    JsonNode results = RouteFixtures.readJson(response.body());
                    if (status != 200 || results == null || results.path("results").path(0).path("status").asInt() != 403
                            || results.path("results").path(0).has("id")) {
                        wrong.add("a 200 whose only item is a 403 without an id");
                    }
                } else {
                    expectStatus(route, 403, status, type, response.body(), wrong);
                }
            }
            case NOT_FOUND -> expectStatus(route, 404, status, type, response.body(), wrong);
            case CONFLICT -> expectStatus(route, 409, status, type, response.body(), wrong);
            case UNAUTHORIZED -> {
                if (route.api() == Api.CITIZEN) {
                    if (status != 401 || !GATEWAY_UNAUTHORIZED.equals(response.body())) {
                        wrong.add("the JWT authorizer's 401 " + GATEWAY_UNAUTHORIZED);
                    }
                } else {
                    expectStatus(route, 401, status, type, response.body(), wrong);
                }
            }
        }
        return wrong;
    }

    private static void expectStatus(Route route, int expected, int status, String type, String body, List<String> wrong) {
        if (status != expected) {
            wrong.add("status " + expected);
            return;
        }
        expectProblem(route, status, type, body, wrong);
    }

    /** A problem with the status; or, where the OpenAPI file documents only another media type for it, that type. */
    private static void expectProblem(Route route, int status, String type, String body, List<String> wrong) {
        List<String> documented = route.typesFor(status);
        if (!documented.isEmpty() && !documented.contains("application/problem+json")) {
            if (!documented.contains(type)) {
                wrong.add("one of " + documented);
            }
            return;
        }
        JsonNode problem = RouteFixtures.readJson(body);
        if (!"application/problem+json".equals(type) || problem == null || problem.path("status").asInt() != status) {
            wrong.add("a problem with status " + status);
        }
    }

    /** A's data as it was: the message unread and not archived, the installation A's, the payment notice paid once. */
    private void assertUntouched() {
        HttpResponse<String> message = RouteFixtures.send(URI.create(TestPlatform.get().citizenApiBaseUrl() + "/messages/"
                + a.messageId), "GET", Map.of("Authorization", "Bearer " + a.token), new byte[0]);
        assertEquals(200, message.statusCode(), message.body());
        JsonNode read = Json.read(message.body());
        assertFalse(read.path("is_read").asBoolean(), "B did not read A's message: " + message.body());
        assertFalse(read.path("is_archived").asBoolean(), "B did not archive A's message: " + message.body());
        LocalPlatform platform = TestPlatform.get();
        var installations = platform.dynamoDb().scan(b -> b.tableName(platform.physicalName("InstallationsTable"))
                .consistentRead(true)).items().stream()
                .filter(item -> item.values().stream().anyMatch(v -> a.installationId.equals(v.s())))
                .toList();
        assertEquals(1, installations.size(), "A's installation is still one item");
        assertTrue(installations.get(0).values().stream().map(AttributeValue::s).anyMatch(a.deviceToken::equals),
                "A's installation keeps A's device token: " + installations.get(0).keySet());
    }

    /** A key whose service exists, used once, then revoked as an operator would, and past the service cache. */
    private String revokedKey() {
        TestService revoked = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 0, 1_000_000);
        assertEquals(201, TestData.post(revoked.primaryKey(), "/api/v1/messages/" + a.fiscalCode, TestData.newMessage())
                .statusCode());
        LocalPlatform platform = TestPlatform.get();
        platform.dynamoDb().deleteItem(b -> b.tableName(platform.physicalName("ApiKeysTable"))
                .key(Map.of("key_hash", AttributeValue.fromS(Hashing.sha256Hex(revoked.primaryKey())))));
        long cacheSeconds = Long.parseLong(platform.functionConfig("SubmitMessageFunction").get("SERVICE_CACHE_SECONDS", "0"));
        TestPlatform.clock().hold(TestPlatform.clock().now().plusSeconds(cacheSeconds + 1));
        TestPlatform.clock().release();
        return revoked.primaryKey();
    }

    private static long now() {
        return TestPlatform.clock().now().getEpochSecond();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
    }
}
