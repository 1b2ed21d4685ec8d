package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.payments.CallbackSignature;
import dev.ioserverless.payments.ReceiptItems;
import dev.ioserverless.payments.StoredReceipt;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The payment callback over HTTP on the payments API, signed as the payment platform signs:
 * signatures accepted and refused, rotation, replays arriving at once, a receipt before its
 * message, the amount check, and the paid status the sender and the citizen then see.
 */
class PaymentCallbackIT {
    private static final dev.ioserverless.local.openapi.OpenApiContract SPEC =
            dev.ioserverless.local.openapi.OpenApiContract.load(java.nio.file.Path.of("..", "openapi-payments.yaml"));
    static final String PAYEE = "01234567890";   // TestData's services' organization

    static String noticeNumber() {
        return "3" + String.format("%017d", ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
    }

    static String secret() {
        String secret = TestPlatform.demoJson().path("payment_callback_secret").asText();
        Secrets.callbackSecret(secret);
        return secret;
    }

    static String receiptBody(String receiptId, String notice, long amount, String payer, String debtor) {
        var body = Json.object();
        body.put("receipt_id", receiptId);
        body.put("notice_number", notice);
        body.put("payee_fiscal_code", PAYEE);
        body.put("amount", amount);
        body.put("paid_at", "2026-11-20T09:30:00Z");
        if (payer != null) {
            body.put("payer_fiscal_code", payer);
        }
        if (debtor != null) {
            body.put("debtor_fiscal_code", debtor);
        }
        body.put("payee_name", "Comune di Prova");
        body.put("psp_name", "Banca Esempio");
        body.put("payment_method", "CARD");
        body.put("fee", 100);
        return Json.write(body);
    }

    static HttpResponse<String> callback(String body, String signature) {
        URI url = URI.create(TestPlatform.get().apiBaseUrl("PaymentsApi") + "/payments/v1/callback");
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Signature", signature);
        }
        HttpResponse<String> response = TestPlatform.send(request);
        SPEC.assertConforms("/payments/v1/callback", response);
        return response;
    }

    static HttpResponse<String> signedCallback(String body) {
        return callback(body, sign(secret(), body, TestPlatform.clock().now().getEpochSecond()));
    }

    static String sign(String secret, String body, long t) {
        return CallbackSignature.sign(secret, t, body.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<StoredReceipt> storedReceipt(String receiptId) {
        LocalPlatform platform = TestPlatform.get();
        var item = platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("ReceiptsTable"))
                .key(ReceiptItems.receiptKey(receiptId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ReceiptItems.fromItem(item));
    }

    static Map<String, AttributeValue> statusItem(String messageId) {
        LocalPlatform platform = TestPlatform.get();
        return platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                .key(Map.of("id", AttributeValue.fromS(messageId))).consistentRead(true)).item();
    }

    static String advancedPayment(String notice, long amount, boolean invalidAfterDueDate, Instant dueDate) {
        return "{\"feature_level_type\":\"ADVANCED\",\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\""
                + MARKDOWN + "\"," + (dueDate == null ? "" : "\"due_date\":\"" + dueDate + "\",")
                + "\"payment_data\":{\"amount\":" + amount + ",\"notice_number\":\"" + notice
                + "\",\"invalid_after_due_date\":" + invalidAfterDueDate + "}}}";
    }

    /** A processed ADVANCED payment message of a fresh service to a fresh citizen. */
    record Sent(TestService service, String citizen, String id, String notice) {
    }

    static Sent sendPaymentMessage(long amount) {
        TestService service = TestData.service(AdvancedMessageIT.ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String citizen = TestData.citizen();
        String notice = noticeNumber();
        var created = post(service.primaryKey(), "/api/v1/messages/" + citizen, advancedPayment(notice, amount, false, null));
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        AdvancedMessageIT.awaitMessage(service.primaryKey(), citizen, id,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        return new Sent(service, citizen, id, notice);
    }

    // ---------------------------------------------------------------- signatures

    @Test
    void aSignedReceiptIsAcceptedAndEveryBadSignatureIsA401WritingNothing() {
        // Time held still, so "301 s away" and "299 s away" stay so however long the requests take
        // (a second boundary crossed between signing and checking made +301 s a +300 s).
        TestClock clock = TestPlatform.clock();
        clock.holdNow();
        try {
            signaturesAtAHeldInstant();
        } finally {
            clock.release();
        }
    }

    private void signaturesAtAHeldInstant() {
        String notice = noticeNumber();
        long now = TestPlatform.clock().now().getEpochSecond();
        String refused = "rcpt-refused-" + notice;
        String body = receiptBody(refused, notice, 5000, FiscalCodes.random(), null);

        List<String> signatures = new ArrayList<>();
        signatures.add(null);                                                  // none
        signatures.add("v1=" + "0".repeat(64));                                // no t
        signatures.add(sign(secret(), body, now - 301));                        // stale
        signatures.add(sign(secret(), body, now + 301));                        // from the future
        signatures.add(sign("another-secret-of-thirty-two-characters!!", body, now));   // not ours
        // The body changed by one byte after signing: the amount 5000 became 5001.
        String tampered = body.replace("\"amount\":5000", "\"amount\":5001");
        for (String signature : signatures) {
            var response = callback(body, signature);
            assertEquals(401, response.statusCode(), signature + " -> " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(Json.read(response.body()).path("detail").asText().startsWith("X-Signature"), response.body());
        }
        var changed = callback(tampered, sign(secret(), body, now));
        assertEquals(401, changed.statusCode(), changed.body());
        assertTrue(storedReceipt(refused).isEmpty(), "a refused callback writes nothing");

        // Within the 300 s either way, signed with the secret: accepted, and kept (no message yet).
        var accepted = callback(body, sign(secret(), body, now - 299));
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode reply = Json.read(accepted.body());
        assertEquals(refused, reply.path("receipt_id").asText());
        assertEquals("KEPT", reply.path("status").asText());
        assertTrue(storedReceipt(refused).isPresent());
    }

    @Test
    void aRotatedSecretIsAcceptedBesideTheOldOneUntilTheOldOneIsRemoved() {
        LocalPlatform platform = TestPlatform.get();
        String parameter = platform.functionConfig("PaymentCallbackFunction").require("PAYMENT_CALLBACK_SECRET_PARAMETER");
        String old = secret();
        String rotated = "rotated-secret-" + "x".repeat(40);
        Secrets.callbackSecret(rotated);
        TestClock clock = TestPlatform.clock();
        try {
            // The operator adds the new secret; within five minutes every container reads it.
            platform.ssmEmulator().put(parameter, "SecureString", rotated + "\n" + old);
            clock.hold(clock.now().plus(Duration.ofMinutes(6)));
            String first = receiptBody("rcpt-rot-new-" + noticeNumber(), noticeNumber(), 100, null, null);
            assertEquals(202, callback(first, sign(rotated, first, clock.now().getEpochSecond())).statusCode());
            String second = receiptBody("rcpt-rot-old-" + noticeNumber(), noticeNumber(), 100, null, null);
            assertEquals(202, callback(second, sign(old, second, clock.now().getEpochSecond())).statusCode());

            // The platform signs with the new one; the old is removed.
            platform.ssmEmulator().put(parameter, "SecureString", rotated);
            clock.hold(clock.now().plus(Duration.ofMinutes(6)));
            String third = receiptBody("rcpt-rot-gone-" + noticeNumber(), noticeNumber(), 100, null, null);
            assertEquals(401, callback(third, sign(old, third, clock.now().getEpochSecond())).statusCode());
            assertEquals(202, callback(third, sign(rotated, third, clock.now().getEpochSecond())).statusCode());
        } finally {
            platform.ssmEmulator().put(parameter, "SecureString", old);
            clock.hold(clock.now().plus(Duration.ofMinutes(6)));
            clock.release();
        }
        String after = receiptBody("rcpt-rot-back-" + noticeNumber(), noticeNumber(), 100, null, null);
        assertEquals(202, signedCallback(after).statusCode());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void aMalformedReceiptIsA400NamingTheFieldAndWritesNothing() {
        String notice = noticeNumber();
        Map<String, String> cases = Map.of(
                receiptBody("rcpt-bad-1-" + notice, "12345", 100, null, null), "notice_number",
                receiptBody("rcpt-bad-2-" + notice, notice, 0, null, null), "amount",
                receiptBody("rcpt-bad-3-" + notice, notice, 100, "not-a-fiscal-code", null), "payer_fiscal_code",
                receiptBody("rcpt-bad-4-" + notice, notice, 100, null, null).replace("2026-11-20T09:30:00Z", "yesterday"), "paid_at",
                receiptBody("rcpt-bad-5-" + notice, notice, 100, null, null).replace("\"payee_fiscal_code\":\"" + PAYEE + "\",", ""),
                "payee_fiscal_code",
                "{\"receipt_id\":", "body");
        cases.forEach((body, field) -> {
            var response = signedCallback(body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(Json.read(response.body()).path("detail").asText().contains(field), response.body());
        });
        for (int i = 1; i <= 5; i++) {
            assertTrue(storedReceipt("rcpt-bad-" + i + "-" + notice).isEmpty());
        }
        // Signed, but not JSON, or far larger than any receipt.
        String body = receiptBody("rcpt-bad-6-" + notice, notice, 100, null, null);
        URI url = URI.create(TestPlatform.get().apiBaseUrl("PaymentsApi") + "/payments/v1/callback");
        var plain = TestPlatform.send(HttpRequest.newBuilder(url).header("Content-Type", "text/plain")
                .header("X-Signature", sign(secret(), body, TestPlatform.clock().now().getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        SPEC.assertConforms("/payments/v1/callback", plain);
        assertEquals(415, plain.statusCode());
        String huge = body.replace("\"psp_name\"", "\"padding\":\"" + "x".repeat(20_000) + "\",\"psp_name\"");
        assertEquals(413, signedCallback(huge).statusCode());
        assertTrue(storedReceipt("rcpt-bad-6-" + notice).isEmpty());
    }

    // ---------------------------------------------------------------- matching

    @Test
    void tenConcurrentCopiesOfOneReceiptGiveOneReceiptAndOneTransition() throws Exception {
        // moto 5.2 rolls a cancelled transaction back by restoring whole tables copied when it began,
        // which undoes what concurrent requests wrote meanwhile (infra/SECOND-OPINIONS.md).
        org.junit.jupiter.api.Assumptions.assumeFalse("moto".equals(TestPlatform.aws()),
                "moto's TransactWriteItems is not isolated from concurrent requests");
        Sent sent = sendPaymentMessage(12050);
        String receiptId = "rcpt-ten-" + sent.notice();
        String body = receiptBody(receiptId, sent.notice(), 12050, sent.citizen(), sent.citizen());
        String signature = sign(secret(), body, TestPlatform.clock().now().getEpochSecond());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<HttpResponse<String>>> copies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                copies.add(() -> callback(body, signature));
            }
            for (Future<HttpResponse<String>> copy : pool.invokeAll(copies)) {
                var response = copy.get();
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("PAID", Json.read(response.body()).path("status").asText());
            }
        } finally {
            pool.shutdownNow();
        }
        // One receipt, listed once for the citizen (payer and debtor at once), one paid mark.
        LocalPlatform platform = TestPlatform.get();
        var entries = platform.dynamoDb().query(b -> b.tableName(platform.physicalName("ReceiptsTable"))
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", ReceiptItems.citizenKey(sent.citizen())))).items();
        assertEquals(1, entries.size());
        assertTrue(entries.get(0).get(ReceiptItems.IS_PAYER).bool());
        assertTrue(entries.get(0).get(ReceiptItems.IS_DEBTOR).bool());
        var status = statusItem(sent.id());
        assertEquals("2026-11-20T09:30:00.000Z", status.get("paid_at").s());
        assertEquals(receiptId, status.get("receipt_id").s());
        StoredReceipt stored = storedReceipt(receiptId).orElseThrow();
        assertEquals(sent.id(), stored.messageId());
        assertEquals(SUBJECT, stored.subject());
        assertFalse(stored.amountMismatch());

        // A later replay: the same answer, nothing changed.
        var replay = callback(body, sign(secret(), body, TestPlatform.clock().now().getEpochSecond()));
        assertEquals(200, replay.statusCode());
        assertEquals(status, statusItem(sent.id()));
        // A different receipt under the same id is refused.
        String different = receiptBody(receiptId, sent.notice(), 99, sent.citizen(), null);
        assertEquals(409, signedCallback(different).statusCode());
    }

    @Test
    void aReceiptBeforeItsMessageIsKeptAndTheMessageIsBornPaid() {
        TestService service = TestData.service(AdvancedMessageIT.ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String citizen = TestData.citizen();
        String notice = noticeNumber();
        String receiptId = "rcpt-early-" + notice;
        var kept = signedCallback(receiptBody(receiptId, notice, 7000, citizen, null));
        assertEquals(202, kept.statusCode(), kept.body());
        assertNull(storedReceipt(receiptId).orElseThrow().messageId());

        Instant due = TestPlatform.clock().now().plus(Duration.ofDays(5));
        var created = post(service.primaryKey(), "/api/v1/messages/" + citizen, advancedPayment(notice, 7000, false, due));
        String id = Json.read(created.body()).path("id").asText();
        JsonNode read = AdvancedMessageIT.awaitMessage(service.primaryKey(), citizen, id,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        assertEquals("PAID", read.path("payment_status").asText());
        var status = statusItem(id);
        assertEquals(receiptId, status.get("receipt_id").s());
        assertFalse(status.containsKey("next_reminder_at"), "a paid message is never reminded");
        assertEquals(id, storedReceipt(receiptId).orElseThrow().messageId());
    }

    @Test
    void aCallbackReceiptReachesThePayersAndTheDebtorsReceiptsOnceWithItsMessagesSubject() throws Exception {
        Sent sent = sendPaymentMessage(12050);
        String payer = FiscalCodes.random();        // a relative who paid, with no profile
        String receiptId = "rcpt-lists-" + sent.notice();
        String body = receiptBody(receiptId, sent.notice(), 12050, payer, sent.citizen());
        for (int copy = 0; copy < 3; copy++) {
            assertEquals(200, signedCallback(body).statusCode());
        }
        List<String> debtorList = ReceiptsIT.eventIds(ReceiptsIT.page(ReceiptsIT.get(CitizenApiIT.token(sent.citizen()), "/receipts")));
        assertEquals(List.of(receiptId), debtorList);
        List<String> payerList = ReceiptsIT.eventIds(ReceiptsIT.page(ReceiptsIT.get(CitizenApiIT.token(payer), "/receipts")));
        assertEquals(List.of(receiptId), payerList, "listed for the payer, who has no profile");
        JsonNode detail = ReceiptsIT.page(ReceiptsIT.get(CitizenApiIT.token(payer), "/receipts/" + receiptId));
        assertEquals(SUBJECT, detail.path("carts").get(0).path("subject").asText(), "what was paid: the message's subject");
        assertEquals(sent.notice(), detail.path("carts").get(0).path("refNumberValue").asText());
        String text = ReceiptsIT.pdfText(ReceiptsIT.pdf(CitizenApiIT.token(sent.citizen()), receiptId).body());
        assertTrue(text.contains(receiptId) && text.contains(sent.notice()), text);
        assertEquals(404, ReceiptsIT.get(CitizenApiIT.token(TestData.citizen()), "/receipts/" + receiptId).statusCode());
    }

    @Test
    void anAmountDifferentFromTheNoticesIsRecordedAndFlagged() {
        Sent sent = sendPaymentMessage(12050);
        String receiptId = "rcpt-mismatch-" + sent.notice();
        var response = signedCallback(receiptBody(receiptId, sent.notice(), 12000, sent.citizen(), null));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(Json.read(response.body()).path("amount_mismatch").asBoolean());
        StoredReceipt stored = storedReceipt(receiptId).orElseThrow();
        assertTrue(stored.amountMismatch());
        assertEquals(12050L, stored.expectedAmount());
        assertEquals(12000L, stored.receipt().amount());
        // Paid all the same: the money arrived.
        assertNotNull(statusItem(sent.id()).get("paid_at"));
        JsonNode read = TestData.get(sent.service().primaryKey(), "/api/v1/messages/" + sent.citizen() + "/" + sent.id()).body()
                .transform(Json::read);
        assertEquals("PAID", read.path("payment_status").asText());
    }
}
