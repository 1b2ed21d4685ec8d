package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.TestLogs;
import dev.ioserverless.common.Problem;
import dev.ioserverless.profiles.GetProfileHandler;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.profiles.TestProfiles;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.IdempotencyRecord;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestRequests;
import dev.ioserverless.services.TestServices;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever bytes a client sends as the body of any POST of the Services API (a message by path,
 * by body, a batch, a profile lookup), with or without an Idempotency-Key, the answer is a 2xx or
 * a 4xx problem, never a 5xx; and a 4xx writes nothing (no message, no queued notice, no
 * idempotency record).
 */
class ServicesApiPostPropertiesTest {
    static final String CF = "RSSMRA80A01H501U";

    /** jqwik runs outside JUnit Jupiter's extensions: keep the lines of its many tries out of the console. */
    @BeforeContainer
    static void captureLogs() {
        TestLogs.install();
    }

    enum Route {
        MESSAGE_BY_PATH("/api/v1/messages/{fiscal_code}", "/api/v1/messages/" + CF),
        MESSAGE_BY_BODY("/api/v1/messages", "/api/v1/messages"),
        BATCH("/api/v1/messages/batch", "/api/v1/messages/batch"),
        PROFILE("/api/v1/profiles", "/api/v1/profiles");

        final String template;
        final String path;

        Route(String template, String path) {
            this.template = template;
            this.path = path;
        }
    }

    /** Every POST handler on fresh in-memory stores, so every try checks its own writes. */
    static final class Fixture {
        final ApiFixture api = new ApiFixture();
        final InMemoryMessageStore messages = new InMemoryMessageStore();
        final RecordingQueue queue = new RecordingQueue();
        final InMemoryProfileStore profiles = new InMemoryProfileStore();
        final SubmitMessageHandler submit =
                new SubmitMessageHandler(api.api(TestMessages.log()), messages, queue, api.clock, TestMessages.log());
        final SubmitMessageBatchHandler batch =
                new SubmitMessageBatchHandler(api.api(TestMessages.log()), messages, queue, api.clock, TestMessages.log());
        final GetProfileHandler profile = new GetProfileHandler(api.readOnlyApi(TestMessages.log()), profiles,
                new InMemoryServicePreferenceStore(), TestMessages.log());

        Fixture() {
            api.services.save(TestServices.withGroups(TestServices.tari(), ServiceGroup.values()));
            profiles.save(TestProfiles.profile(CF, ServicePreferencesMode.AUTO, 0));
        }

        int post(Route route, TestRequests request) {
            APIGatewayV2HTTPResponse response = switch (route) {
                case MESSAGE_BY_PATH, MESSAGE_BY_BODY -> submit.handleRequest(request.build(), null);
                case BATCH -> batch.handleRequest(request.build(), null);
                case PROFILE -> profile.handleRequest(request.build(), null);
            };
            int status = response.getStatusCode();
            assertTrue(status >= 200 && status < 500, route + " answered " + status + ": " + response.getBody());
            if (status >= 400) {
                assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
                JsonNode problem = Json.read(response.getBody());
                assertEquals(status, problem.get("status").intValue());
                assertTrue(problem.get("detail").isTextual() && !problem.get("detail").textValue().isBlank());
                assertEquals(0, messages.size(), "nothing stored on a 4xx");
                assertTrue(queue.sent.isEmpty(), "nothing queued on a 4xx");
                assertEquals(0, api.idempotency.size(), "no idempotency record on a 4xx");
                return status;
            }
            JsonNode body = Json.read(response.getBody());
            switch (route) {
                case MESSAGE_BY_PATH, MESSAGE_BY_BODY -> {
                    assertEquals(201, status);
                    assertEquals(1, messages.size());
                    assertEquals(body.get("id").textValue(), queue.sent.get(0).messageId());
                }
                case BATCH -> {
                    assertEquals(200, status);
                    long created = 0;
                    for (JsonNode result : body.get("results")) {
                        int itemStatus = result.get("status").intValue();
                        assertTrue(itemStatus == 201 || (itemStatus >= 400 && itemStatus < 500),
                                "no item fails on our side here: " + result);
                        created += itemStatus == 201 ? 1 : 0;
                    }
                    assertEquals(created, messages.size(), "exactly the 201 items are stored");
                    assertEquals(created, queue.sent.size());
                }
                case PROFILE -> {
                    assertEquals(200, status);
                    assertEquals(0, messages.size());
                }
                default -> throw new IllegalStateException();
            }
            assertTrue(api.idempotency.size() <= 1);
            api.idempotency.get(TestServices.SERVICE_ID + "#" + "retry-1")
                    .ifPresent(record -> assertEquals(IdempotencyRecord.State.COMPLETED, record.state()));
            return status;
        }
    }

    static TestRequests request(Route route, String body, boolean base64, String contentType, Optional<String> key) {
        TestRequests request = TestRequests.request("POST", route.template, route.path).key(ApiFixture.KEY).body(body, base64);
        if (route == Route.MESSAGE_BY_PATH) {
            request.pathParameter("fiscal_code", CF);
        }
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        key.ifPresent(value -> request.header("idempotency-key", value));
        return request;
    }

    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)   // the distribution is checked, or only for diagnosis
    @Property(tries = 600)
    void anyBytesAsTheBodyOfAnyPost(@ForAll Route route, @ForAll("bytes") byte[] bytes, @ForAll boolean base64,
                                    @ForAll("contentTypes") String contentType,
                                    @ForAll("idempotencyKeys") Optional<String> key) {
        String body = base64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.ISO_8859_1);
        int status = new Fixture().post(route, request(route, body, base64, contentType, key));
        Statistics.label("status").collect(status);
    }

    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)   // the distribution is checked, or only for diagnosis
    @Property(tries = 1500)
    void anyJsonLikeBodyOfAnyPost(@ForAll Route route, @ForAll("jsonish") String body,
                                  @ForAll("idempotencyKeys") Optional<String> key) {
        int status = new Fixture().post(route, request(route, body, false, "application/json", key));
        Statistics.label(route.name()).collect(status);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/problem+json; charset=utf-8", "",
                        "application/x-www-form-urlencoded")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
    }

    @Provide
    Arbitrary<Optional<String>> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Optional.<String>empty())),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Optional.of("retry-1"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(300).map(Optional::of)));
    }

    /** Bodies close enough to the real ones to get past the parser into field validation and the items. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> values = Arbitraries.of("null", "1", "-1", "0", "3600", "1e400", "12.5", "\"x\"", "\"" + CF + "\"",
                "\"ADVANCED\"", "[]", "{}", "true", "99999999999999999999", "\"2024-12-31T23:59:59.000Z\"",
                "{\"subject\":\"" + TestMessages.SUBJECT + "\",\"markdown\":\"" + TestMessages.MARKDOWN + "\"}",
                "{\"amount\":100,\"notice_number\":\"302000100000009424\"}");
        Arbitrary<String> fields = Arbitraries.of("content", "subject", "markdown", "time_to_live", "fiscal_code",
                "payment_data", "amount", "notice_number", "messages", "feature_level_type", "due_date", "payee");
        Arbitrary<String> object = Arbitraries.entries(fields, values).list().ofMaxSize(5).map(entries -> {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < entries.size(); i++) {
                out.append(i == 0 ? "" : ",").append('"').append(entries.get(i).getKey()).append("\":")
                        .append(entries.get(i).getValue());
            }
            return out.append('}').toString();
        });
        Arbitrary<String> validItem = Arbitraries.of(
                "{\"fiscal_code\":\"" + CF + "\",\"content\":{\"subject\":\"" + TestMessages.SUBJECT
                        + "\",\"markdown\":\"" + TestMessages.MARKDOWN + "\"}}");
        Arbitrary<String> batch = Arbitraries.oneOf(object, validItem, values).list().ofMaxSize(6)
                .map(items -> "{\"messages\":[" + String.join(",", items) + "]}");
        Arbitrary<String> message = object.map(content -> "{\"fiscal_code\":\"" + CF + "\",\"content\":" + content + "}");
        Arbitrary<String> noise = Arbitraries.strings().withChars("{}[]\":,0123456789.-eEtrufalsn \\abcxyz_")
                .ofMaxLength(120);
        return Arbitraries.oneOf(object, batch, message, noise, validItem);
    }
}
