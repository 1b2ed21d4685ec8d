package dev.ioserverless.local.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.FiscalCodes;
import dev.ioserverless.local.LocalPlatform;
import dev.ioserverless.local.TestPlatform;
import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ApiKeySlot;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real responses of the running local platform, checked against {@code openapi.yaml} with the
 * schema validator: every documented operation is driven over HTTP through its main outcomes and
 * every response it gives is validated (status documented, required headers present and valid,
 * media type documented, body valid against the strict schema). An operation whose route is not
 * yet in {@code template.yaml} is skipped, not failed.
 *
 * <p>The tests use services and citizens of their own, seeded through the real stores, so the
 * demo service's rate limit is left to the other tests.
 */
class SpecConformanceIT {
    private static final String SEND = "/api/v1/messages/{fiscal_code}";
    private static final String SEND_IN_BODY = "/api/v1/messages";
    private static final String BATCH = "/api/v1/messages/batch";
    private static final String READ = "/api/v1/messages/{fiscal_code}/{id}";
    private static final String PROFILE = "/api/v1/profiles/{fiscal_code}";
    private static final String PROFILE_IN_BODY = "/api/v1/profiles";
    private static final String DETAIL = "/api/v2/messages/{fiscal_code}/{id}";

    private static final String SUBJECT = "Avviso di pagamento TARI 2026";
    private static final String MARKDOWN = "Gentile cittadino, è disponibile l'avviso di pagamento della TARI per "
            + "l'anno 2026. Puoi pagare entro la scadenza indicata.";
    private static final String ORGANIZATION = "01234567890";
    private static final String OTHER_ORGANIZATION = "01199250158";
    private static final Set<ServiceGroup> ALL_GROUPS = EnumSet.allOf(ServiceGroup.class);

    private static OpenApiContract contract;
    private static LocalPlatform platform;
    private static Set<String> routes;
    /** A service with every group, a payment cap and a limit no test reaches. */
    private static String key;
    private static final Set<String> exercised = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        platform = TestPlatform.get();
        contract = OpenApiContract.load();
        routes = OpenApiSpecTest.apiRoutes(platform.stack());
        key = service(ALL_GROUPS, Set.of(), List.of(), 100_000_000L, 100_000);
    }

    // ------------------------------------------------------------------ POST /api/v1/messages/{fiscal_code}

    @Test
    void submitMessageforUserCreates201AndTheMessageReadsBack() {
        routed("POST", SEND);
        String citizen = citizen();
        String plain = newMessage(null).toString();
        assertEquals(List.of(), contract.requestBodyViolations("POST", SEND, "application/json", plain));
        HttpResponse<String> created = expect(201, SEND, post(path(SEND, citizen), key, plain));
        String id = Json.read(created.body()).path("id").asText();
        assertEquals("/api/v1/messages/" + citizen + "/" + id, created.headers().firstValue("Location").orElseThrow());

        String full = fullMessage(null).toString();
        assertEquals(List.of(), contract.requestBodyViolations("POST", SEND, "application/json", full));
        String advanced = Json.read(expect(201, SEND, post(path(SEND, citizen), key, full)).body()).path("id").asText();

        routed("GET", READ);
        JsonNode read = Json.read(expect(200, READ, get(path(READ, citizen, id), key)).body());
        assertEquals(id, read.path("message").path("id").asText());
        JsonNode advancedRead = Json.read(expect(200, READ, get(path(READ, citizen, advanced), key)).body());
        assertEquals(OTHER_ORGANIZATION, advancedRead.path("message").path("content").path("payment_data").path("payee")
                .path("fiscal_code").asText(), "the payee sent is the payee stored");
    }

    @Test
    void submitMessageforUserAnswers400ForBadInputAndTheSpecAgrees() {
        routed("POST", SEND);
        Map<String, ObjectNode> invalidBySpec = new LinkedHashMap<>();
        invalidBySpec.put("short subject", withContent(newMessage(null), "subject", "too short"));
        invalidBySpec.put("short markdown", withContent(newMessage(null), "markdown", "too short"));
        invalidBySpec.put("time_to_live below 3600", newMessage(null).put("time_to_live", 60));
        invalidBySpec.put("unknown feature level", newMessage(null).put("feature_level_type", "PREMIUM"));
        ObjectNode badNotice = fullMessage(null);
        ((ObjectNode) badNotice.path("content").path("payment_data")).put("notice_number", "412345678901234567");
        invalidBySpec.put("notice number starting with 4", badNotice);
        ObjectNode badPayee = fullMessage(null);
        ((ObjectNode) badPayee.path("content").path("payment_data").path("payee")).put("fiscal_code", "123");
        invalidBySpec.put("payee of 3 digits", badPayee);
        ObjectNode noContent = Json.object();
        noContent.put("time_to_live", 3600);
        invalidBySpec.put("no content", noContent);
        for (Map.Entry<String, ObjectNode> bad : invalidBySpec.entrySet()) {
            String body = bad.getValue().toString();
            assertFalse(contract.requestBodyViolations("POST", SEND, "application/json", body).isEmpty(),
                    "the spec should reject: " + bad.getKey());
            expect(400, SEND, post(path(SEND, citizen()), key, body), bad.getKey());
        }
        // rules the schema cannot see, answered 400 all the same
        String citizen = citizen();
        expect(400, SEND, post(path(SEND, citizen), key, newMessage(citizen).toString()), "fiscal code in path and body");
        expect(400, SEND, post(path(SEND, citizen), key, "{\"content\": {"), "malformed JSON");
        expect(400, SEND, post(path(SEND, "NOTAFISCALCODE"), key, newMessage(null).toString()), "bad fiscal code in path");
        ObjectNode overCap = fullMessage(null);
        ((ObjectNode) overCap.path("content").path("payment_data")).put("amount", 9_999_999_999L);
        assertEquals(List.of(), contract.requestBodyViolations("POST", SEND, "application/json", overCap.toString()));
        expect(400, SEND, post(path(SEND, citizen), key, overCap.toString()), "amount above the service's cap");
        expect(400, SEND, post(path(SEND, citizen), key, newMessage(null).toString(),
                "Idempotency-Key", "k".repeat(256)), "Idempotency-Key of 256 characters");
    }

    @Test
    void submitMessageforUserAnswers401WithoutAValidKey() {
        routed("POST", SEND);
        expect(401, SEND, post(path(SEND, citizen()), null, newMessage(null).toString()), "no key");
        expect(401, SEND, post(path(SEND, citizen()), "not-a-real-key", newMessage(null).toString()), "unknown key");
    }

    @Test
    void submitMessageforUserAnswers403WhenTheServiceMayNot() {
        routed("POST", SEND);
        String reader = service(EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0, 1000);
        expect(403, SEND, post(path(SEND, citizen()), reader, newMessage(null).toString()), "no write group");
        String allowed = citizen();
        String limited = service(EnumSet.of(ServiceGroup.ApiLimitedMessageWrite), Set.of(allowed), List.of(), 0, 1000);
        expect(403, SEND, post(path(SEND, citizen()), limited, newMessage(null).toString()), "not an authorized recipient");
        expect(201, SEND, post(path(SEND, allowed), limited, newMessage(null).toString()), "an authorized recipient");
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 100_000_000L, 1000);
        expect(403, SEND, post(path(SEND, citizen()), writer, newMessage(null).put("feature_level_type", "ADVANCED")
                .toString()), "ADVANCED without ApiMessageWriteAdvanced");
        expect(403, SEND, post(path(SEND, citizen()), writer, fullMessage(null).put("feature_level_type", "STANDARD")
                .toString()), "payee without ApiMessageWriteWithPayee");
        String elsewhere = service(ALL_GROUPS, Set.of(), List.of("10.0.0.0/8"), 0, 1000);
        expect(403, SEND, post(path(SEND, citizen()), elsewhere, newMessage(null).toString()), "outside authorized_cidrs");
    }

    @Test
    void submitMessageforUserAnswers413And415() {
        routed("POST", SEND);
        expect(413, SEND, post(path(SEND, citizen()), key, oversized()), "body over 256 KB");
        expect(415, SEND, send("POST", path(SEND, citizen()), key, "text/plain", newMessage(null).toString()), "text/plain");
    }

    @Test
    void submitMessageforUserReplaysAnIdempotentRetryAndAnswers422ForAReusedKey() {
        routed("POST", SEND);
        String citizen = citizen();
        String idempotencyKey = UUID.randomUUID().toString();
        String body = newMessage(null).toString();
        HttpResponse<String> first = expect(201, SEND, post(path(SEND, citizen), key, body, "Idempotency-Key", idempotencyKey));
        HttpResponse<String> again = expect(201, SEND, post(path(SEND, citizen), key, body, "Idempotency-Key", idempotencyKey),
                "replay");
        assertEquals(Json.read(first.body()), Json.read(again.body()), "a replay answers the first answer");
        assertEquals(first.headers().firstValue("Location"), again.headers().firstValue("Location"));
        expect(422, SEND, post(path(SEND, citizen), key, withContent(newMessage(null), "subject", "Un altro oggetto")
                .toString(), "Idempotency-Key", idempotencyKey), "same key, other body");
    }

    @Test
    void submitMessageforUserAnswers409ForARequestStillInFlight() throws Exception {
        routed("POST", SEND);
        boolean conflictSeen = false;
        for (int round = 0; round < 5 && !conflictSeen; round++) {
            String citizen = citizen();
            String idempotencyKey = UUID.randomUUID().toString();
            String body = newMessage(null).toString();
            List<HttpResponse<String>> responses = concurrently(8,
                    () -> post(path(SEND, citizen), key, body, "Idempotency-Key", idempotencyKey));
            Set<String> ids = new HashSet<>();
            for (HttpResponse<String> response : responses) {
                assertTrue(response.statusCode() == 201 || response.statusCode() == 409,
                        "a duplicate is replayed or told it is in flight: " + response.statusCode() + " " + response.body());
                expect(response.statusCode(), SEND, response, "concurrent duplicate");
                if (response.statusCode() == 201) {
                    ids.add(Json.read(response.body()).path("id").asText());
                } else {
                    conflictSeen = true;
                }
            }
            assertEquals(1, ids.size(), "every 201 names the one message");
        }
        Assumptions.assumeTrue(conflictSeen, "no duplicate arrived while the first was in flight; 409 not observed");
    }

    // ------------------------------------------------------------------ POST /api/v1/messages

    @Test
    void submitMessageforUserWithFiscalCodeInBodyThroughItsOutcomes() {
        routed("POST", SEND_IN_BODY);
        String citizen = citizen();
        String body = newMessage(citizen).toString();
        assertEquals(List.of(), contract.requestBodyViolations("POST", SEND_IN_BODY, "application/json", body));
        HttpResponse<String> created = expect(201, SEND_IN_BODY, post(SEND_IN_BODY, key, body));
        assertEquals("/api/v1/messages/" + citizen + "/" + Json.read(created.body()).path("id").asText(),
                created.headers().firstValue("Location").orElseThrow());

        String noRecipient = newMessage(null).toString();
        assertFalse(contract.requestBodyViolations("POST", SEND_IN_BODY, "application/json", noRecipient).isEmpty());
        expect(400, SEND_IN_BODY, post(SEND_IN_BODY, key, noRecipient), "no fiscal_code");
        String badRecipient = newMessage("rssmra80a01h501u").toString();
        assertFalse(contract.requestBodyViolations("POST", SEND_IN_BODY, "application/json", badRecipient).isEmpty());
        expect(400, SEND_IN_BODY, post(SEND_IN_BODY, key, badRecipient), "lower-case fiscal_code");

        expect(401, SEND_IN_BODY, post(SEND_IN_BODY, null, body), "no key");
        expect(401, SEND_IN_BODY, post(SEND_IN_BODY, "not-a-real-key", body), "unknown key");
        String reader = service(EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0, 1000);
        expect(403, SEND_IN_BODY, post(SEND_IN_BODY, reader, body), "no write group");
        expect(413, SEND_IN_BODY, post(SEND_IN_BODY, key, oversized()), "body over 256 KB");
        expect(415, SEND_IN_BODY, send("POST", SEND_IN_BODY, key, "text/plain", body), "text/plain");

        String idempotencyKey = UUID.randomUUID().toString();
        expect(201, SEND_IN_BODY, post(SEND_IN_BODY, key, body, "Idempotency-Key", idempotencyKey));
        expect(201, SEND_IN_BODY, post(SEND_IN_BODY, key, body, "Idempotency-Key", idempotencyKey), "replay");
        expect(422, SEND_IN_BODY, post(SEND_IN_BODY, key, newMessage(citizen()).toString(),
                "Idempotency-Key", idempotencyKey), "same key, other body");
    }

    // ------------------------------------------------------------------ POST /api/v1/messages/batch

    @Test
    void submitMessagesBatchJudgesEachMessageAndConforms() {
        routed("POST", BATCH);
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.add(newMessage(citizen()));
        messages.add(withContent(newMessage(citizen()), "subject", "too short"));
        messages.add(newMessage(citizen()).put("feature_level_type", "ADVANCED"));
        messages.add(fullMessage(citizen()).put("feature_level_type", "STANDARD"));
        ObjectNode overCap = fullMessage(citizen()).put("feature_level_type", "STANDARD");
        ((ObjectNode) overCap.path("content").path("payment_data")).remove("payee");
        messages.add(overCap);
        ObjectNode batch = Json.object();
        batch.set("messages", messages);
        HttpResponse<String> response = expect(200, BATCH, post(BATCH, writer, batch.toString()));
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode result : Json.read(response.body()).path("results")) {
            statuses.add(result.path("status").asInt());
            assertEquals(statuses.size() - 1, result.path("index").asInt(), "results come in request order");
            if (result.has("problem")) {
                assertEquals(result.path("status").asInt(), result.path("problem").path("status").asInt());
            }
        }
        assertEquals(List.of(201, 400, 403, 403, 400), statuses);

        String one = "{\"messages\":[" + newMessage(citizen()) + "]}";
        assertEquals(List.of(), contract.requestBodyViolations("POST", BATCH, "application/json", one));
        for (String bad : List.of("{}", "{\"messages\":[]}", "{\"messages\":\"not a list\"}")) {
            assertFalse(contract.requestBodyViolations("POST", BATCH, "application/json", bad).isEmpty(), bad);
            expect(400, BATCH, post(BATCH, key, bad), bad);
        }
        ArrayNode tooMany = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 101; i++) {
            tooMany.add(newMessage(citizen()));
        }
        ObjectNode tooManyBatch = Json.object();
        tooManyBatch.set("messages", tooMany);
        assertFalse(contract.requestBodyViolations("POST", BATCH, "application/json", tooManyBatch.toString()).isEmpty());
        expect(413, BATCH, post(BATCH, key, tooManyBatch.toString()), "101 messages");
        expect(413, BATCH, post(BATCH, key, oversized()), "body over 256 KB");
        expect(401, BATCH, post(BATCH, null, one), "no key");
        expect(401, BATCH, post(BATCH, "not-a-real-key", one), "unknown key");
        String reader = service(EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0, 1000);
        expect(403, BATCH, post(BATCH, reader, one), "no write group");
        expect(415, BATCH, send("POST", BATCH, key, "text/plain", one), "text/plain");

        String idempotencyKey = UUID.randomUUID().toString();
        HttpResponse<String> first = expect(200, BATCH, post(BATCH, key, one, "Idempotency-Key", idempotencyKey));
        HttpResponse<String> again = expect(200, BATCH, post(BATCH, key, one, "Idempotency-Key", idempotencyKey), "replay");
        assertEquals(Json.read(first.body()), Json.read(again.body()));
        expect(422, BATCH, post(BATCH, key, "{\"messages\":[" + newMessage(citizen()) + "]}",
                "Idempotency-Key", idempotencyKey), "same key, other body");
    }

    // ------------------------------------------------------------------ GET /api/v1/messages/{fiscal_code}/{id}

    @Test
    void getMessageThroughItsOutcomes() {
        routed("GET", READ);
        String citizen = citizen();
        String id = Json.read(expect(201, SEND, post(path(SEND, citizen), key, newMessage(null).toString())).body())
                .path("id").asText();
        JsonNode read = Json.read(expect(200, READ, get(path(READ, citizen, id), key)).body());
        assertEquals(citizen, read.path("message").path("fiscal_code").asText());
        // processing moves the status on; every answer on the way must conform too
        awaitStatus(READ, citizen, id, "PROCESSED", node -> node.path("status").asText());

        expect(400, READ, get(path(READ, "NOTAFISCALCODE", id), key), "bad fiscal code");
        expect(400, READ, get(path(READ, citizen, "not-a-ulid"), key), "bad id");
        expect(401, READ, get(path(READ, citizen, id), null), "no key");
        expect(401, READ, get(path(READ, citizen, id), "not-a-real-key"), "unknown key");
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        expect(403, READ, get(path(READ, citizen, id), writer), "no ApiMessageRead");
        expect(404, READ, get(path(READ, citizen, Ulid.next()), key), "unknown id");
        String otherReader = service(EnumSet.of(ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0, 1000);
        expect(404, READ, get(path(READ, citizen, id), otherReader), "another service's message");
        expect(404, READ, get(path(READ, citizen(), id), key), "another fiscal code");
    }

    @Test
    void getMessageOfAnAdvancedPaymentMessageConforms() {
        routed("GET", READ);
        String citizen = citizen();
        String id = Json.read(expect(201, SEND, post(path(SEND, citizen), key, fullMessage(null).toString())).body())
                .path("id").asText();
        // read_status and payment_status may appear for this one (the service has ApiMessageReadAdvanced)
        JsonNode processed = awaitStatus(READ, citizen, id, "PROCESSED", node -> node.path("status").asText());
        assertEquals("ADVANCED", processed.path("message").path("feature_level_type").asText());
        assertEquals(7200, processed.path("message").path("time_to_live").asInt());
    }

    // ------------------------------------------------------------------ profiles

    @Test
    void getProfileThroughItsOutcomes() {
        routed("GET", PROFILE);
        String reader = service(EnumSet.of(ServiceGroup.ApiLimitedProfileRead), Set.of(), List.of(), 0, 1000);
        String allowing = citizen();
        JsonNode profile = Json.read(expect(200, PROFILE, get(path(PROFILE, allowing), reader)).body());
        assertTrue(profile.path("sender_allowed").asBoolean(false));
        String blocking = FiscalCodes.random();
        saveProfile(blocking, true, ServicePreferencesMode.LEGACY, Map.of(serviceIdOf(reader), Set.of(BlockedInboxOrChannel.INBOX)));
        assertFalse(Json.read(expect(200, PROFILE, get(path(PROFILE, blocking), reader)).body())
                .path("sender_allowed").asBoolean(true));

        expect(400, PROFILE, get(path(PROFILE, "NOTAFISCALCODE"), reader), "bad fiscal code");
        expect(401, PROFILE, get(path(PROFILE, allowing), null), "no key");
        expect(401, PROFILE, get(path(PROFILE, allowing), "not-a-real-key"), "unknown key");
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        expect(403, PROFILE, get(path(PROFILE, allowing), writer), "no ApiLimitedProfileRead");
        expect(404, PROFILE, get(path(PROFILE, FiscalCodes.random()), reader), "no profile");
        String inboxOff = FiscalCodes.random();
        saveProfile(inboxOff, false, ServicePreferencesMode.AUTO, Map.of());
        expect(404, PROFILE, get(path(PROFILE, inboxOff), reader), "inbox off");
    }

    @Test
    void getProfileByPostThroughItsOutcomes() {
        routed("POST", PROFILE_IN_BODY);
        String reader = service(EnumSet.of(ServiceGroup.ApiLimitedProfileRead), Set.of(), List.of(), 0, 1000);
        String allowing = citizen();
        String body = "{\"fiscal_code\":\"" + allowing + "\"}";
        assertEquals(List.of(), contract.requestBodyViolations("POST", PROFILE_IN_BODY, "application/json", body));
        assertTrue(Json.read(expect(200, PROFILE_IN_BODY, post(PROFILE_IN_BODY, reader, body)).body())
                .path("sender_allowed").asBoolean(false));
        for (String bad : List.of("{}", "{\"fiscal_code\":\"NOTAFISCALCODE\"}", "{\"fiscal_code\":16}")) {
            assertFalse(contract.requestBodyViolations("POST", PROFILE_IN_BODY, "application/json", bad).isEmpty(), bad);
            expect(400, PROFILE_IN_BODY, post(PROFILE_IN_BODY, reader, bad), bad);
        }
        expect(401, PROFILE_IN_BODY, post(PROFILE_IN_BODY, null, body), "no key");
        expect(401, PROFILE_IN_BODY, post(PROFILE_IN_BODY, "not-a-real-key", body), "unknown key");
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        expect(403, PROFILE_IN_BODY, post(PROFILE_IN_BODY, writer, body), "no ApiLimitedProfileRead");
        expect(404, PROFILE_IN_BODY, post(PROFILE_IN_BODY, reader, "{\"fiscal_code\":\"" + FiscalCodes.random() + "\"}"),
                "no profile");
        expect(413, PROFILE_IN_BODY, post(PROFILE_IN_BODY, reader, oversized()), "body over 256 KB");
        expect(415, PROFILE_IN_BODY, send("POST", PROFILE_IN_BODY, reader, "text/plain", body), "text/plain");
    }

    // ------------------------------------------------------------------ GET /api/v2/messages/{fiscal_code}/{id}

    @Test
    void getMessageDetailThroughItsOutcomes() {
        routed("GET", DETAIL);
        String stranger = FiscalCodes.random(); // no profile: the message is rejected
        String rejected = Json.read(expect(201, SEND, post(path(SEND, stranger), key, newMessage(null).toString())).body())
                .path("id").asText();
        JsonNode detail = awaitStatus(DETAIL, stranger, rejected, "REJECTED", node -> node.path("status").asText());
        assertEquals("USER_NOT_FOUND", detail.path("rejection_reason").asText());

        String citizen = citizen();
        String processed = Json.read(expect(201, SEND, post(path(SEND, citizen), key, newMessage(null).toString())).body())
                .path("id").asText();
        JsonNode done = awaitStatus(DETAIL, citizen, processed, "PROCESSED", node -> node.path("status").asText());
        assertFalse(done.has("rejection_reason"));

        expect(400, DETAIL, get(path(DETAIL, "NOTAFISCALCODE", processed), key), "bad fiscal code");
        expect(400, DETAIL, get(path(DETAIL, citizen, "not-a-ulid"), key), "bad id");
        expect(401, DETAIL, get(path(DETAIL, citizen, processed), null), "no key");
        expect(401, DETAIL, get(path(DETAIL, citizen, processed), "not-a-real-key"), "unknown key");
        String writer = service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        expect(403, DETAIL, get(path(DETAIL, citizen, processed), writer), "no ApiMessageRead");
        expect(404, DETAIL, get(path(DETAIL, citizen, Ulid.next()), key), "unknown id");
    }

    // ------------------------------------------------------------------ 429, on every operation

    @Test
    void everyOperationAnswers429OverTheRateLimit() {
        int limit = 2;
        String limited = service(ALL_GROUPS, Set.of(), List.of(), 0, limit);
        String citizen = citizen();
        String id = Json.read(expect(201, SEND, post(path(SEND, citizen), limited, newMessage(null).toString())).body())
                .path("id").asText();
        Map<String, java.util.function.Supplier<HttpResponse<String>>> calls = new LinkedHashMap<>();
        calls.put("POST " + SEND, () -> post(path(SEND, citizen), limited, newMessage(null).toString()));
        calls.put("POST " + SEND_IN_BODY, () -> post(SEND_IN_BODY, limited, newMessage(citizen).toString()));
        calls.put("POST " + BATCH, () -> post(BATCH, limited, "{\"messages\":[" + newMessage(citizen) + "]}"));
        calls.put("GET " + READ, () -> get(path(READ, citizen, id), limited));
        calls.put("GET " + PROFILE, () -> get(path(PROFILE, citizen), limited));
        calls.put("POST " + PROFILE_IN_BODY, () -> post(PROFILE_IN_BODY, limited, "{\"fiscal_code\":\"" + citizen + "\"}"));
        calls.put("GET " + DETAIL, () -> get(path(DETAIL, citizen, id), limited));
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, java.util.function.Supplier<HttpResponse<String>>> call : calls.entrySet()) {
            String template = call.getKey().substring(call.getKey().indexOf(' ') + 1);
            if (!routes.contains(call.getKey())) {
                continue;
            }
            HttpResponse<String> limitedResponse = null;
            for (int attempt = 0; attempt < 3 * limit + 2 && limitedResponse == null; attempt++) {
                HttpResponse<String> response = call.getValue().get();
                expect(response.statusCode(), template, response, "on the way to the limit");
                if (response.statusCode() == 429) {
                    limitedResponse = response;
                } else {
                    assertTrue(response.statusCode() < 300, "a request within the limit succeeds: "
                            + response.statusCode() + " " + response.body());
                }
            }
            assertTrue(limitedResponse != null, call.getKey() + " never answered 429 with a limit of " + limit);
            assertEquals(String.valueOf(limit), limitedResponse.headers().firstValue("X-RateLimit-Limit").orElse(null),
                    call.getKey() + ": X-RateLimit-Limit is the service's limit");
            assertEquals("0", limitedResponse.headers().firstValue("X-RateLimit-Remaining").orElse(null), call.getKey());
            long retryAfter = Long.parseLong(limitedResponse.headers().firstValue("Retry-After").orElse("-1"));
            // A sliding window of 5 s: what the last 5 s admitted leaves it within two windows.
            assertTrue(retryAfter >= 1 && retryAfter <= 2 * 5 + 1, call.getKey() + ": Retry-After within two windows: " + retryAfter);
            checked.add(call.getKey());
        }
        assertTrue(checked.contains("POST " + SEND), "at least the routed operations were checked: " + checked);
    }

    // ------------------------------------------------------------------ helpers

    /** Skips the test (not fails it) while the route is not in template.yaml. */
    private static void routed(String method, String template) {
        assumeTrue(routes.contains(method + " " + template),
                method + " " + template + " is not routed by template.yaml yet");
    }

    private static HttpResponse<String> expect(int status, String template, HttpResponse<String> response) {
        return expect(status, template, response, "");
    }

    /** Asserts the status, then that the response conforms to the spec. */
    private static HttpResponse<String> expect(int status, String template, HttpResponse<String> response, String why) {
        assertEquals(status, response.statusCode(), () -> response.request().method() + " " + response.request().uri()
                + (why.isEmpty() ? "" : " (" + why + ")") + ": " + response.body());
        contract.assertConforms(template, response);
        exercised.add(response.request().method() + " " + template + " " + status);
        return response;
    }

    private static HttpResponse<String> get(String path, String apiKey) {
        return send("GET", path, apiKey, null, null);
    }

    private static HttpResponse<String> post(String path, String apiKey, String body, String... headers) {
        return send("POST", path, apiKey, "application/json", body, headers);
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String contentType, String body,
                                             String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestPlatform.url(path));
        if (apiKey != null) {
            request.header("Ocp-Apim-Subscription-Key", apiKey);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return TestPlatform.send(request);
    }

    /** Polls a message view until {@code status}, validating every answer on the way; the last one. */
    private static JsonNode awaitStatus(String template, String fiscalCode, String id, String status,
                                        java.util.function.Function<JsonNode, String> statusOf) {
        JsonNode[] last = new JsonNode[1];
        TestPlatform.await(() -> {
            last[0] = Json.read(expect(200, template, get(path(template, fiscalCode, id), key), "polling").body());
            return status.equals(statusOf.apply(last[0]));
        }, Duration.ofSeconds(15), "status " + status + " for " + id);
        return last[0];
    }

    private static List<HttpResponse<String>> concurrently(int parallel,
                                                           java.util.function.Supplier<HttpResponse<String>> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return call.get();
                }, pool));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> future : calls) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The template with its parameters filled in, in order. */
    private static String path(String template, String... values) {
        String path = template;
        for (String value : values) {
            int open = path.indexOf('{');
            path = path.substring(0, open) + value + path.substring(path.indexOf('}', open) + 1);
        }
        assertFalse(path.contains("{"), "all parameters filled: " + path);
        return path;
    }

    private static ObjectNode newMessage(String fiscalCode) {
        ObjectNode message = Json.object();
        if (fiscalCode != null) {
            message.put("fiscal_code", fiscalCode);
        }
        ObjectNode content = message.putObject("content");
        content.put("subject", SUBJECT);
        content.put("markdown", MARKDOWN);
        return message;
    }

    /** Every field a message may carry: ADVANCED, a due date, a payment notice with its payee. */
    private static ObjectNode fullMessage(String fiscalCode) {
        ObjectNode message = newMessage(fiscalCode);
        message.put("time_to_live", 7200);
        message.put("feature_level_type", "ADVANCED");
        ObjectNode content = (ObjectNode) message.get("content");
        content.put("due_date", "2026-12-31T23:59:59.000Z");
        content.put("require_secure_channels", true);
        ObjectNode payment = content.putObject("payment_data");
        payment.put("amount", 12_550);
        payment.put("notice_number", "012345678901234567");
        payment.put("invalid_after_due_date", false);
        payment.putObject("payee").put("fiscal_code", OTHER_ORGANIZATION);
        return message;
    }

    private static ObjectNode withContent(ObjectNode message, String field, String value) {
        ((ObjectNode) message.get("content")).put(field, value);
        return message;
    }

    /** A JSON message body over 256 KB. */
    private static String oversized() {
        ObjectNode message = newMessage(null);
        ((ObjectNode) message.get("content")).put("markdown", "a".repeat(300 * 1024));
        return message.toString();
    }

    /** A fresh citizen with a profile, inbox on, accepting every service. */
    private static String citizen() {
        String fiscalCode = FiscalCodes.random();
        saveProfile(fiscalCode, true, ServicePreferencesMode.AUTO, Map.of());
        return fiscalCode;
    }

    private static void saveProfile(String fiscalCode, boolean inboxEnabled, ServicePreferencesMode mode,
                                    Map<String, Set<BlockedInboxOrChannel>> blocked) {
        Instant now = Instant.now();
        new DynamoProfileStore(platform.dynamoDb(), platform.physicalName("ProfilesTable"))
                .save(new Profile(fiscalCode, inboxEnabled, 4, List.of("it_IT"), mode,
                        mode == ServicePreferencesMode.LEGACY ? ServicePreferencesMode.LEGACY_VERSION : 1,
                        blocked, now, now, 1));
    }

    private static final Map<String, String> SERVICE_OF_KEY = new ConcurrentHashMap<>();

    /** A fresh service of organization {@value #ORGANIZATION}; returns its primary key in clear. */
    private static String service(Set<ServiceGroup> groups, Set<String> recipients, List<String> cidrs,
                                  long maxAllowedPaymentAmount, int rateLimit) {
        String serviceId = "spec-" + UUID.randomUUID();
        String apiKey = UUID.randomUUID().toString().replace("-", "");
        DynamoServiceStore services = new DynamoServiceStore(platform.dynamoDb(),
                platform.physicalName("ServicesTable"), platform.physicalName("ApiKeysTable"));
        services.save(new Service(serviceId, "Spec conformance", "Test department", "Comune di Prova", ORGANIZATION,
                groups, recipients, cidrs, maxAllowedPaymentAmount, rateLimit));
        dev.ioserverless.local.Secrets.apiKey(apiKey);
        services.saveApiKey(serviceId, ApiKeySlot.PRIMARY, apiKey);
        SERVICE_OF_KEY.put(apiKey, serviceId);
        return apiKey;
    }

    private static String serviceIdOf(String apiKey) {
        String serviceId = SERVICE_OF_KEY.get(apiKey);
        assertNotEquals(null, serviceId);
        return serviceId;
    }
}
