package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.services.ApiFixture;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a client sends to SubmitMessage, the answer is a 201 (and exactly one message stored
 * and queued) or a 4xx problem (and nothing stored or queued), never a 5xx.
 */
class SubmitMessagePropertiesTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String KEY = "tari-primary-key";

    @BeforeContainer
    static void silenceLogs() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterContainer
    static void restoreLogs() {
        Log.redirect(System.out);
    }

    /** One handler with fresh stores, so every try checks its own writes. */
    static final class Fixture {
        final ApiFixture api = new ApiFixture();
        final InMemoryMessageStore messages = new InMemoryMessageStore();
        final RecordingQueue queue = new RecordingQueue();
        final SubmitMessageHandler handler =
                new SubmitMessageHandler(api.api(TestMessages.log()), messages, queue, api.clock, TestMessages.log());

        int submit(APIGatewayV2HTTPEvent event) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            int status = response.getStatusCode();
            if (status == 201) {
                assertEquals(1, messages.size());
                assertEquals(1, queue.sent.size());
                String id = Json.read(response.getBody()).get("id").textValue();
                assertEquals(id, queue.sent.get(0).messageId());
            } else {
                assertTrue(status >= 400 && status < 500, "status " + status + ": " + response.getBody());
                assertEquals(Problem.CONTENT_TYPE, response.getHeaders().get("Content-Type"));
                JsonNode problem = Json.read(response.getBody());
                assertEquals(status, problem.get("status").intValue());
                assertTrue(problem.get("detail").isTextual());
                assertEquals(0, messages.size(), "nothing stored on a 4xx");
                assertTrue(queue.sent.isEmpty(), "nothing queued on a 4xx");
            }
            return status;
        }
    }

    @Property(tries = 400)
    void anyBytesAsBody(@ForAll @Size(max = 3000) byte[] bytes, @ForAll boolean base64) {
        String body = base64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.ISO_8859_1);
        APIGatewayV2HTTPEvent event = HttpEvents.submit(CF, body, KEY);
        event.setIsBase64Encoded(base64);
        new Fixture().submit(event);
    }

    @Property(tries = 400)
    void anyStringAsBody(@ForAll @StringLength(max = 3000) String body) {
        new Fixture().submit(HttpEvents.submit(CF, body, KEY));
    }

    @Property(tries = 200)
    void anyStringAsPathFiscalCode(@ForAll @StringLength(max = 40) String fiscalCode) {
        new Fixture().submit(HttpEvents.submit(fiscalCode, Json.write(TestMessages.body()), KEY));
    }

    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)   // the distribution is checked, or only for diagnosis
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void anyJsonShapeAsBody(@ForAll("bodies") String body) {
        int status = new Fixture().submit(HttpEvents.submit(CF, body, KEY));
        Statistics.label("status").collect(status);
        Statistics.label("status").coverage(checker -> {
            checker.check(201).percentage(p -> p > 5.0);
            checker.check(400).percentage(p -> p > 5.0);
        });
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<ObjectNode> content = Combinators.combine(
                        field(mostly(lengths(10, 11, 60, 119, 120), lengths(0, 9, 121, 400))),
                        field(mostly(lengths(80, 81, 2000, 9999, 10000), lengths(0, 79, 10001))),
                        field(mostly(texts("2024-12-31T23:59:59.000Z", "2024-12-31T23:59:59"),
                                texts("2024-02-30T00:00:00Z", "2024-12-31", ""))),
                        optionalField(paymentData()),
                        field(Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE)),
                        field(anyJson()))
                .as((subject, markdown, due, payment, secure, extra) -> {
                    ObjectNode node = Json.object();
                    subject.ifPresent(v -> node.set("subject", v));
                    markdown.ifPresent(v -> node.set("markdown", v));
                    due.ifPresent(v -> node.set("due_date", v));
                    payment.ifPresent(v -> node.set("payment_data", v));
                    secure.ifPresent(v -> node.set("require_secure_channels", v));
                    extra.ifPresent(v -> node.set("unknown_field", v));
                    return node;
                });
        return Combinators.combine(
                        Arbitraries.frequencyOf(
                                Tuple.of(8, content.map(c -> (JsonNode) c)),
                                Tuple.of(1, anyJson())),
                        field(Arbitraries.integers().between(3000, 610_000).map(i -> (JsonNode) IntNode.valueOf(i))),
                        field(mostly(texts("STANDARD", "ADVANCED"), texts("PREMIUM", "standard"))),
                        Arbitraries.frequency(
                                Tuple.of(9, Optional.<JsonNode>empty()),
                                Tuple.of(1, Optional.<JsonNode>of(TextNode.valueOf(CF)))))
                .as((contentNode, ttl, level, fiscalCode) -> {
                    ObjectNode body = Json.object();
                    body.set("content", contentNode);
                    ttl.ifPresent(v -> body.set("time_to_live", v));
                    level.ifPresent(v -> body.set("feature_level_type", v));
                    fiscalCode.ifPresent(v -> body.set("fiscal_code", v));
                    return Json.write(body);
                });
    }

    private Arbitrary<JsonNode> paymentData() {
        return Combinators.combine(
                        field(mostly(Arbitraries.of(1L, 18_250L, 100_000L).map(LongNode::valueOf),
                                Arbitraries.of(0L, 100_001L, 9_999_999_999L, 10_000_000_000L).map(LongNode::valueOf))),
                        field(mostly(texts("012345678901234567", "302000100000009424"), texts("412345678901234567", "0123"))),
                        field(Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE)),
                        optionalField(mostly(Arbitraries.of("01199250158").map(cf -> Json.object().put("fiscal_code", cf)),
                                Arbitraries.of("0119925015", "ABCDEFGHIJK").map(cf -> Json.object().put("fiscal_code", cf)))))
                .as((amount, notice, invalidAfter, payee) -> {
                    ObjectNode node = Json.object();
                    amount.ifPresent(v -> node.set("amount", v));
                    notice.ifPresent(v -> node.set("notice_number", v));
                    invalidAfter.ifPresent(v -> node.set("invalid_after_due_date", v));
                    payee.ifPresent(v -> node.set("payee", v));
                    return node;
                });
    }

    /** A field that is mostly a plausible value, sometimes any JSON value, sometimes absent. */
    private static <T extends JsonNode> Arbitrary<Optional<JsonNode>> field(Arbitrary<T> plausible) {
        return Arbitraries.frequencyOf(
                Tuple.of(30, plausible.map(v -> Optional.<JsonNode>of(v))),
                Tuple.of(1, anyJson().map(Optional::of)),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())));
    }

    /** An optional field: absent half of the time, otherwise as {@link #field}. */
    private static <T extends JsonNode> Arbitrary<Optional<JsonNode>> optionalField(Arbitrary<T> plausible) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())),
                Tuple.of(1, field(plausible)));
    }

    /** Valid values four times out of five. */
    private static Arbitrary<JsonNode> mostly(Arbitrary<? extends JsonNode> valid, Arbitrary<? extends JsonNode> invalid) {
        return Arbitraries.frequencyOf(Tuple.of(4, valid.map(v -> (JsonNode) v)), Tuple.of(1, invalid.map(v -> (JsonNode) v)));
    }

    private static Arbitrary<JsonNode> texts(String... values) {
        return Arbitraries.of(values).map(TextNode::valueOf);
    }

    private static Arbitrary<JsonNode> lengths(Integer... lengths) {
        return Arbitraries.of(lengths).map(n -> TextNode.valueOf("x".repeat(n)));
    }

    private static Arbitrary<JsonNode> anyJson() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(BigIntegerNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(new BigDecimal("3600.0"), new BigDecimal("1E+400"), new BigDecimal("12.5"))
                        .map(DecimalNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance),
                Arbitraries.just(JsonNodeFactory.instance.arrayNode().add(1).add("a")),
                Arbitraries.just(Json.object().put("k", "v")));
    }

    @Property(tries = 50)
    void validBodiesAreAlwaysAccepted(@ForAll("validBodies") String body) {
        assertEquals(201, new Fixture().submit(HttpEvents.submit(CF, body, KEY)));
    }

    @Provide
    Arbitrary<String> validBodies() {
        return Combinators.combine(
                        Arbitraries.strings().ofMinLength(10).ofMaxLength(120).map(SubmitMessagePropertiesTest::wellFormed),
                        Arbitraries.strings().ofMinLength(80).ofMaxLength(10_000).map(SubmitMessagePropertiesTest::wellFormed),
                        Arbitraries.integers().between(3600, 604_800))
                .as((subject, markdown, ttl) -> Json.write(Map.of(
                        "time_to_live", ttl,
                        "content", Map.of("subject", subject, "markdown", markdown))));
    }

    /** Any text a request may carry: NUL and unpaired surrogates (a 400 of their own) become {@code x}, length kept. */
    static String wellFormed(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            boolean paired = Character.isHighSurrogate(chars[i]) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1]);
            if (paired) {
                i++;
            } else if (chars[i] == 0 || Character.isSurrogate(chars[i])) {
                chars[i] = 'x';
            }
        }
        return new String(chars);
    }
}
