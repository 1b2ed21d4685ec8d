package dev.ioserverless.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallbackRequestTest {
    static final String FULL = "{\"receipt_id\":\"r-1\",\"notice_number\":\"302000100000019421\","
            + "\"payee_fiscal_code\":\"01199250158\",\"amount\":12050,\"paid_at\":\"2026-03-01T11:15:30+01:00\","
            + "\"payer_fiscal_code\":\"RSSMRA80A01H501U\",\"debtor_fiscal_code\":\"01199250158\",\"payee_name\":\"Comune\","
            + "\"psp_name\":\"Banca\",\"payment_method\":\"CARD\",\"fee\":0,\"something_new\":true}";

    @Test
    void aFullReceiptIsRead() {
        Receipt receipt = CallbackRequest.parse(Json.read(FULL));
        assertEquals("r-1", receipt.receiptId());
        assertEquals("01199250158302000100000019421", receipt.rptId());
        assertEquals(12050, receipt.amount());
        assertEquals(Instant.parse("2026-03-01T10:15:30Z"), receipt.paidAt());
        assertEquals("RSSMRA80A01H501U", receipt.payerFiscalCode());
        assertEquals("01199250158", receipt.debtorFiscalCode());
        assertEquals(0L, receipt.fee());
        assertTrue(receipt.concerns("RSSMRA80A01H501U"));
    }

    @Test
    void theOptionalFieldsMayBeAbsent() {
        Receipt receipt = CallbackRequest.parse(Json.read("{\"receipt_id\":\"r\",\"notice_number\":\"002000100000019421\","
                + "\"payee_fiscal_code\":\"01199250158\",\"amount\":1,\"paid_at\":\"2026-03-01T10:15:30Z\"}"));
        assertNull(receipt.payerFiscalCode());
        assertNull(receipt.fee());
    }

    @Test
    void everyFaultIsReportedNamingItsField() {
        ProblemException e = assertThrows(ProblemException.class, () -> CallbackRequest.parse(Json.read(
                "{\"receipt_id\":\"has spaces\",\"notice_number\":3,\"payee_fiscal_code\":\"RSSMRA80A01H501U\","
                        + "\"amount\":1.5,\"paid_at\":\"2026-03-01\",\"payer_fiscal_code\":\"x\",\"fee\":-1,\"psp_name\":\"\"}")));
        assertEquals(400, e.problem().status());
        String detail = e.problem().detail();
        for (String field : new String[] {"receipt_id", "notice_number", "payee_fiscal_code", "amount", "paid_at",
                "payer_fiscal_code", "fee", "psp_name"}) {
            assertTrue(detail.contains(field + ":"), field + " in " + detail);
        }
        ProblemException missing = assertThrows(ProblemException.class, () -> CallbackRequest.parse(Json.read("{}")));
        assertTrue(missing.problem().detail().contains("receipt_id: required"));
    }

    @Test
    void aPaymentTimeOutsideWhatTheReceiptsListCoversIsRefusedNamingPaidAt() {
        for (String paidAt : new String[] {"+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999-01:00"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> CallbackRequest.parse(Json.read(
                    FULL.replace("2026-03-01T11:15:30+01:00", paidAt))), paidAt);
            assertEquals(400, e.problem().status());
            assertTrue(e.problem().detail().contains("paid_at: must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z"),
                    e.problem().detail());
        }
        assertEquals(Instant.EPOCH, CallbackRequest.parse(Json.read(FULL.replace("2026-03-01T11:15:30+01:00",
                "1970-01-01T00:00:00Z"))).paidAt());
        assertEquals(Instant.parse("9999-12-31T23:59:59.999Z"), CallbackRequest.parse(Json.read(
                FULL.replace("2026-03-01T11:15:30+01:00", "9999-12-31T23:59:59.999Z"))).paidAt());
    }
}
