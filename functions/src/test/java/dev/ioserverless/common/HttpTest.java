package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body rules every JSON route relies on: bad input is a 4xx, never an exception that turns into a 500. */
class HttpTest {

    static APIGatewayV2HTTPEvent json(String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withHeaders(Map.of("Content-Type", "application/json; charset=utf-8"))
                .withBody(body)
                .build();
    }

    static int statusOf(APIGatewayV2HTTPEvent event) {
        return assertThrows(ProblemException.class, () -> Http.jsonObjectBody(event)).problem().status();
    }

    static String detailOf(APIGatewayV2HTTPEvent event) {
        ProblemException e = assertThrows(ProblemException.class, () -> Http.jsonObjectBody(event));
        assertEquals(400, e.problem().status());
        return e.problem().detail();
    }

    static APIGatewayV2HTTPEvent base64Json(byte[] bytes) {
        return APIGatewayV2HTTPEvent.builder()
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(java.util.Base64.getEncoder().encodeToString(bytes)).withIsBase64Encoded(true)
                .build();
    }

    @Test
    void malformedTextNamesTheFieldOrTheBody() {
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xBC, '"', '}'};
        assertEquals("body: not valid UTF-8 (byte 6)", detailOf(base64Json(overlong)));
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertTrue(detailOf(base64Json(encodedSurrogate)).startsWith("body: not valid UTF-8"));
        assertTrue(detailOf(json("{\"a\":\"\uD800\"}")).startsWith("body: not valid Unicode"), "a raw lone surrogate");
        assertEquals("a.b: must not contain NUL (U+0000)", detailOf(json("{\"a\":{\"b\":\"x\\u0000\"}}")));
        assertEquals("a[1]: must not contain an unpaired surrogate", detailOf(json("{\"a\":[\"x\",\"\\uDC00\"]}")));
        assertEquals("m[0].c: must not contain an unpaired surrogate",
                detailOf(json("{\"m\":[{\"c\":\"\\uD800x\"}]}")));
        assertEquals("a: a key must not contain NUL (U+0000)", detailOf(json("{\"a\":{\"\\u0000\":1}}")));
        assertEquals("a.b: duplicate key", detailOf(json("{\"a\":{\"b\":1,\"b\":2}}")));
        assertEquals("b: duplicate key", detailOf(json("{\"b\":1,\"b\":2}")));
        assertEquals("\uD83D\uDCE8", Http.jsonObjectBody(json("{\"a\":\"\\uD83D\\uDCE8\"}")).path("a").asText(),
                "a paired surrogate is text");
    }

    @Test
    void objectBodyIsRead() {
        assertEquals(1, Http.jsonObjectBody(json("{\"a\": 1}")).path("a").intValue());
    }

    @Test
    void nestingBeyondTheParserLimitIs400() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertEquals(400, statusOf(json(deep)));
    }

    @Test
    void numberBeyondTheParserLimitIs400() {
        assertEquals(400, statusOf(json("{\"a\": " + "9".repeat(2000) + "}")));
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ProblemException e = assertThrows(ProblemException.class, () -> Http.jsonObjectBody(json("{\n  \"a\": }")));
        assertTrue(e.problem().detail().startsWith("body: malformed JSON at line 2"), e.problem().detail());
    }

    @Test
    void otherContentTypesAre415AndLargeBodiesAre413() {
        APIGatewayV2HTTPEvent text = APIGatewayV2HTTPEvent.builder()
                .withHeaders(Map.of("content-type", "text/plain")).withBody("{}").build();
        assertEquals(415, statusOf(text));
        assertEquals(413, statusOf(json("{\"a\": \"" + "x".repeat(Http.MAX_BODY_BYTES) + "\"}")));
    }

    @Test
    void arraysScalarsAndEmptyBodiesAre400() {
        assertEquals(400, statusOf(json("[]")));
        assertEquals(400, statusOf(json("1")));
        assertEquals(400, statusOf(json("")));
        assertEquals(400, statusOf(json("null")));
        assertEquals(400, statusOf(json("{} {}")));
    }
}
