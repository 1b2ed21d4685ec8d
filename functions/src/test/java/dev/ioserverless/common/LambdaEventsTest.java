package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LambdaEventsTest {

    @Test
    void submitMessageSampleIsAnHttpApiEvent() {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("SubmitMessageFunction"),
                APIGatewayV2HTTPEvent.class);
        assertEquals("2.0", event.getVersion());
        assertEquals("POST /api/v1/messages/{fiscal_code}", event.getRouteKey());
        assertEquals("/api/v1/messages/RSSMRA80A01H501U", event.getRawPath());
        assertEquals("", event.getRawQueryString());
        assertEquals(SampleEvents.SAMPLE_API_KEY, Http.header(event, "Ocp-Apim-Subscription-Key").orElseThrow());
        assertEquals("application/json", event.getHeaders().get("content-type"));
        assertEquals("RSSMRA80A01H501U", event.getPathParameters().get("fiscal_code"));
        assertFalse(event.getIsBase64Encoded());
        assertTrue(Json.read(event.getBody()).path("content").has("subject"));
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        assertEquals("123456789012", context.getAccountId());
        assertEquals("abcdef1234", context.getApiId());
        assertEquals("$default", context.getStage());
        assertEquals("POST /api/v1/messages/{fiscal_code}", context.getRouteKey());
        assertEquals(1709288130123L, context.getTimeEpoch());
        assertEquals("POST", context.getHttp().getMethod());
        assertEquals("203.0.113.10", context.getHttp().getSourceIp());
        assertEquals("HTTP/1.1", context.getHttp().getProtocol());
        assertEquals(event.getHeaders().get("content-length"),
                String.valueOf(event.getBody().getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void getMessageSampleIsAnHttpApiEvent() {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("GetMessageFunction"),
                APIGatewayV2HTTPEvent.class);
        assertEquals("GET /api/v1/messages/{fiscal_code}/{id}", event.getRouteKey());
        assertEquals(SampleEvents.SAMPLE_MESSAGE_ID, event.getPathParameters().get("id"));
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertNull(event.getBody());
    }

    @Test
    void queueSamplesAreSqsEvents() {
        for (String function : List.of("ProcessMessageFunction", "MessageDeadLetterFunction")) {
            SQSEvent event = LambdaEvents.read(SampleEvents.load(function), SQSEvent.class);
            assertEquals(1, event.getRecords().size(), function);
            SQSEvent.SQSMessage record = event.getRecords().get(0);
            assertFalse(record.getMessageId().isBlank());
            assertFalse(record.getReceiptHandle().isBlank());
            assertEquals("{\"message_id\":\"" + SampleEvents.SAMPLE_MESSAGE_ID + "\"}", record.getBody());
            assertEquals("aws:sqs", record.getEventSource());
            assertTrue(record.getEventSourceArn().startsWith("arn:aws:sqs:eu-south-1:123456789012:"), function);
            assertEquals("eu-south-1", record.getAwsRegion());
            assertEquals("1", record.getAttributes().get("ApproximateReceiveCount"));
            assertEquals(md5Hex(record.getBody()), record.getMd5OfBody());
            assertTrue(record.getMessageAttributes().isEmpty());
        }
    }

    @Test
    void messageAttributesOfEveryKindAreRead() {
        String json = """
                {"Records": [{"messageId": "m1", "body": "x", "eventSourceARN": "arn:aws:sqs:eu-south-1:1:q",
                  "messageAttributes": {
                    "s": {"stringValue": "v", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
                    "b": {"binaryValue": "AQID", "stringListValues": [], "binaryListValues": [], "dataType": "Binary"}
                  }}]}
                """;
        SQSEvent.SQSMessage record = LambdaEvents.read(json, SQSEvent.class).getRecords().get(0);
        assertEquals("arn:aws:sqs:eu-south-1:1:q", record.getEventSourceArn());
        assertEquals("v", record.getMessageAttributes().get("s").getStringValue());
        ByteBuffer binary = record.getMessageAttributes().get("b").getBinaryValue();
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        assertArrayEquals(new byte[] {1, 2, 3}, bytes);
    }

    @Test
    void base64BodiesAndUnknownPropertiesAreAccepted() {
        String json = """
                {"version": "2.0", "isBase64Encoded": true, "body": "e30=", "cookies": ["a=b"],
                 "requestContext": {"http": {"sourceIp": "::1"}, "authentication": null, "somethingNew": 1}}
                """;
        APIGatewayV2HTTPEvent event = LambdaEvents.read(json, APIGatewayV2HTTPEvent.class);
        assertTrue(event.getIsBase64Encoded());
        assertEquals("{}", new String(Http.bodyBytes(event), StandardCharsets.UTF_8));
        assertEquals("::1", Http.sourceIp(event));
        assertEquals(List.of("a=b"), event.getCookies());
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedJsonIsAnUncheckedIoException() {
        assertThrows(UncheckedIOException.class, () -> LambdaEvents.read("{", SQSEvent.class));
    }
}
