package dev.ioserverless.local;

import static dev.ioserverless.local.AuthorizationIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.payments.CallbackSignature;
import dev.ioserverless.services.ServiceGroup;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Text that is not what it claims to be, over HTTP: overlong UTF-8, NUL, a lone surrogate and a
 * duplicated key. Each is a 400 problem naming the field (or the body), and nothing is written:
 * not a message, not a profile, not a receipt.
 */
class MalformedTextIT {
    /** {@code <} encoded in two bytes, which UTF-8 forbids: a lenient decoder reads it as {@code <}. */
    private static final byte[] OVERLONG_LT = {(byte) 0xC0, (byte) 0xBC};

    /** The UTF-8 of {@code before}, then {@code raw} as they are, then the UTF-8 of {@code after}. */
    static byte[] bytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ Services API

    private static HttpResponse<String> submit(TestService service, String citizen, byte[] body) {
        return TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/api/v1/messages/" + citizen))
                .header("Ocp-Apim-Subscription-Key", service.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static String content(String subject, String markdown) {
        return "{\"content\":{\"subject\":\"" + subject + "\",\"markdown\":\"" + markdown + "\"}}";
    }

    @Test
    void theSubmitRouteRefusesMalformedTextAndWritesNothing() {
        TestService service = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 0, 100_000);
        String citizen = TestData.citizen();
        String subject = TestData.SUBJECT;
        String markdown = TestData.MARKDOWN;

        assertProblem(submit(service, citizen, bytes("{\"content\":{\"subject\":\"" + subject, OVERLONG_LT,
                "\",\"markdown\":\"" + markdown + "\"}}")), 400, "body");
        assertProblem(submit(service, citizen, utf8(content(subject + "\\u0000", markdown))), 400, "content.subject");
        assertProblem(submit(service, citizen, utf8(content(subject, markdown + "\\uD800"))), 400, "content.markdown");
        assertProblem(submit(service, citizen, utf8(content(subject, markdown + "\\uDC00x"))), 400, "content.markdown");
        assertProblem(submit(service, citizen, utf8("{\"content\":{\"subject\":\"" + subject + "\",\"subject\":\"<script>"
                + subject + "\",\"markdown\":\"" + markdown + "\"}}")), 400, "content.subject");
        assertProblem(submit(service, citizen, utf8("{\"content\":{\"subject\":\"" + subject + "\",\"markdown\":\"" + markdown
                + "\",\"\\u0000\":1}}")), 400, "content");
        assertEquals(0, TestData.messagesFor(citizen), "nothing is written for malformed text");

        // A paired surrogate (an emoji, escaped or not) is text like any other.
        assertEquals(201, submit(service, citizen, utf8(content(subject + " \\uD83D\\uDCE8 \uD83D\uDCE8", markdown)))
                .statusCode());
        assertEquals(1, TestData.messagesFor(citizen));
    }

    // ------------------------------------------------------------------ citizen API

    @Test
    void theProfileRouteRefusesMalformedTextAndWritesNothing() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        URI profile = URI.create(TestPlatform.get().citizenApiBaseUrl() + "/profile");
        java.util.function.Function<byte[], HttpResponse<String>> post = body -> TestPlatform.send(HttpRequest.newBuilder(profile)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertProblem(post.apply(bytes("{\"version\":0,\"last_app_version\":\"1.2", OVERLONG_LT, "\"}")), 400, "body");
        assertProblem(post.apply(utf8("{\"version\":0,\"last_app_version\":\"1.2\\u0000\"}")), 400, "last_app_version");
        assertProblem(post.apply(utf8("{\"version\":0,\"last_app_version\":\"\\uD800\"}")), 400, "last_app_version");
        assertProblem(post.apply(utf8("{\"version\":0,\"preferred_languages\":[\"it_IT\",\"\\uDBFF\"]}")), 400,
                "preferred_languages[1]");
        assertProblem(post.apply(utf8("{\"version\":0,\"is_inbox_enabled\":false,\"is_inbox_enabled\":true}")), 400,
                "is_inbox_enabled");
        assertFalse(Json.read(CitizenApiIT.getProfile("Bearer " + token).body()).path("has_profile").asBoolean(),
                "no profile is written for malformed text");
    }

    // ------------------------------------------------------------------ payment callback

    private static HttpResponse<String> signedCallback(byte[] body) {
        URI url = URI.create(TestPlatform.get().apiBaseUrl("PaymentsApi") + "/payments/v1/callback");
        String signature = CallbackSignature.sign(PaymentCallbackIT.secret(), TestPlatform.clock().now().getEpochSecond(), body);
        return TestPlatform.send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json").header(CallbackSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void theSignedCallbackRefusesMalformedTextAndKeepsNoReceipt() {
        String notice = PaymentCallbackIT.noticeNumber();
        String receiptId = "rcpt-malformed-" + notice;
        String valid = PaymentCallbackIT.receiptBody(receiptId, notice, 5000, FiscalCodes.random(), null);
        assertTrue(valid.contains("\"psp_name\":\"Banca Esempio\""));
        String[] around = valid.split("Banca Esempio", 2);

        assertProblem(signedCallback(bytes(around[0] + "Banca", OVERLONG_LT, around[1])), 400, "body");
        assertProblem(signedCallback(utf8(around[0] + "Banca\\u0000" + around[1])), 400, "psp_name");
        assertProblem(signedCallback(utf8(around[0] + "Banca\\uD800" + around[1])), 400, "psp_name");
        assertProblem(signedCallback(utf8(valid.replace("\"amount\":5000", "\"amount\":1,\"amount\":5000"))), 400, "amount");
        assertTrue(PaymentCallbackIT.storedReceipt(receiptId).isEmpty(), "no receipt is kept for malformed text");

        HttpResponse<String> accepted = signedCallback(utf8(valid));
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertTrue(PaymentCallbackIT.storedReceipt(receiptId).isPresent());
    }
}
