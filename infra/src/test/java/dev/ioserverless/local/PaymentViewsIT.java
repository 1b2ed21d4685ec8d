package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.SUBJECT;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.local.openapi.OpenApiContract;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the sender and the citizen see of a payment notice before and after its receipt arrives,
 * over HTTP: the sender's payment_status, the citizen's message with its payment (ours, /api/v2),
 * IO's payment-info, and a notice that expires after its due date.
 */
class PaymentViewsIT {
    private static final OpenApiContract SPEC = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));

    static HttpResponse<String> citizenGet(String token, String path) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                URI.create(TestPlatform.get().apiBaseUrl("CitizenApi") + path)).header("Authorization", "Bearer " + token).GET());
        SPEC.assertConforms(response);
        return response;
    }

    record Notice(TestService service, String citizen, String token, String id, String notice, String rptId) {
    }

    static Notice send(boolean invalidAfterDueDate, Instant dueDate) {
        TestService service = TestData.service(AdvancedMessageIT.ADVANCED_READER, Set.of(), List.of(), 1_000_000, 150);
        String citizen = TestData.citizen();
        String notice = PaymentCallbackIT.noticeNumber();
        var created = post(service.primaryKey(), "/api/v1/messages/" + citizen,
                PaymentCallbackIT.advancedPayment(notice, 12050, invalidAfterDueDate, dueDate));
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        AdvancedMessageIT.awaitMessage(service.primaryKey(), citizen, id,
                m -> m.path("status").asText().equals("PROCESSED"), "processed");
        return new Notice(service, citizen, CitizenApiIT.token(citizen), id, notice, PaymentCallbackIT.PAYEE + notice);
    }

    @Test
    void theSenderAndTheCitizenSeeTheNoticeUnpaidThenPaidWithItsReceipt() {
        Instant due = TestPlatform.clock().now().plus(Duration.ofDays(10));
        Notice n = send(false, due);

        JsonNode unpaid = Json.read(citizenGet(n.token(), "/api/v2/messages/" + n.id()).body());
        JsonNode payment = unpaid.path("payment");
        assertEquals("NOT_PAID", payment.path("status").asText());
        assertTrue(payment.path("payable").asBoolean());
        assertEquals(12050, payment.path("amount").asLong());
        assertEquals(n.notice(), payment.path("notice_number").asText());
        assertEquals(n.rptId(), payment.path("rpt_id").asText());
        assertEquals(PaymentCallbackIT.PAYEE, payment.path("payee").path("fiscal_code").asText());
        assertEquals("Comune di Prova", payment.path("payee").path("name").asText());
        assertEquals(dev.ioserverless.common.Timestamps.format(due), payment.path("due_date").asText());
        assertFalse(payment.has("receipt_id"));
        // The IO-shaped view stays IO's: no payment property.
        assertFalse(Json.read(citizenGet(n.token(), "/api/v1/messages/" + n.id()).body()).has("payment"));

        var info = citizenGet(n.token(), "/api/v1/payment-info/" + n.rptId());
        assertEquals(200, info.statusCode(), info.body());
        JsonNode paymentInfo = Json.read(info.body());
        assertEquals(12050, paymentInfo.path("amount").asLong());
        assertEquals(SUBJECT, paymentInfo.path("description").asText());
        assertEquals(PaymentCallbackIT.PAYEE, paymentInfo.path("paFiscalCode").asText());
        assertEquals("Comune di Prova", paymentInfo.path("paName").asText());
        assertEquals(due.atZone(ZoneId.of("Europe/Rome")).toLocalDate().toString(), paymentInfo.path("dueDate").asText());

        String receiptId = "rcpt-view-" + n.notice();
        assertEquals(200, PaymentCallbackIT.signedCallback(
                PaymentCallbackIT.receiptBody(receiptId, n.notice(), 12050, n.citizen(), null)).statusCode());

        JsonNode sender = Json.read(TestData.get(n.service().primaryKey(), "/api/v1/messages/" + n.citizen() + "/" + n.id()).body());
        assertEquals("PAID", sender.path("payment_status").asText());
        JsonNode paid = Json.read(citizenGet(n.token(), "/api/v2/messages/" + n.id()).body()).path("payment");
        assertEquals("PAID", paid.path("status").asText());
        assertFalse(paid.path("payable").asBoolean());
        assertEquals(receiptId, paid.path("receipt_id").asText());
        assertEquals("2026-11-20T09:30:00.000Z", paid.path("paid_at").asText());
        var duplicated = citizenGet(n.token(), "/api/v1/payment-info/" + n.rptId());
        assertEquals(409, duplicated.statusCode());
        assertEquals("PAYMENT_DUPLICATED", Json.read(duplicated.body()).path("faultCodeCategory").asText());
        assertEquals("PAA_PAGAMENTO_DUPLICATO", Json.read(duplicated.body()).path("faultCodeDetail").asText());
    }

    @Test
    void aNoticeInvalidAfterItsDueDateExpiresAndOneWithoutTheFlagStaysPayable() {
        TestClock clock = TestPlatform.clock();
        Instant due = clock.now().plus(Duration.ofMinutes(2));
        Notice strict = send(true, due);
        Notice lenient = send(false, due);
        assertEquals("NOT_PAID", Json.read(citizenGet(strict.token(), "/api/v2/messages/" + strict.id()).body())
                .path("payment").path("status").asText());
        try {
            clock.hold(due.plus(Duration.ofMinutes(1)));
            JsonNode expired = Json.read(citizenGet(strict.token(), "/api/v2/messages/" + strict.id()).body()).path("payment");
            assertEquals("EXPIRED", expired.path("status").asText());
            assertFalse(expired.path("payable").asBoolean());
            var info = citizenGet(strict.token(), "/api/v1/payment-info/" + strict.rptId());
            assertEquals(409, info.statusCode());
            assertEquals("PAYMENT_EXPIRED", Json.read(info.body()).path("faultCodeCategory").asText());
            assertEquals("PAA_PAGAMENTO_SCADUTO", Json.read(info.body()).path("faultCodeDetail").asText());

            JsonNode late = Json.read(citizenGet(lenient.token(), "/api/v2/messages/" + lenient.id()).body()).path("payment");
            assertEquals("NOT_PAID", late.path("status").asText());
            assertTrue(late.path("payable").asBoolean());
            assertEquals(200, citizenGet(lenient.token(), "/api/v1/payment-info/" + lenient.rptId()).statusCode());
        } finally {
            clock.release();
        }
    }

    @Test
    void anotherCitizensNoticeIsUnknownAndABadRptIdIsA400() {
        Notice n = send(false, null);
        String stranger = TestData.citizen();
        var unknown = citizenGet(CitizenApiIT.token(stranger), "/api/v1/payment-info/" + n.rptId());
        assertEquals(404, unknown.statusCode());
        assertEquals("PAYMENT_UNKNOWN", Json.read(unknown.body()).path("faultCodeCategory").asText());
        var bad = citizenGet(n.token(), "/api/v1/payment-info/12345");
        assertEquals(400, bad.statusCode());
        assertTrue(Json.read(bad.body()).path("detail").asText().startsWith("rptId"));
        assertEquals(404, citizenGet(CitizenApiIT.token(stranger), "/api/v2/messages/" + n.id()).statusCode());
    }
}
