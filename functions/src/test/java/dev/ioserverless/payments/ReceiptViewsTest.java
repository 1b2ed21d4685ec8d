package dev.ioserverless.payments;

import static dev.ioserverless.payments.TestReceipts.GIULIA;
import static dev.ioserverless.payments.TestReceipts.MARIO;
import static dev.ioserverless.payments.TestReceipts.PAID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptViewsTest {

    @Test
    void amountsAreEurosWithTwoDecimalsAsPagoPaWritesThem() {
        assertEquals("120.50", ReceiptViews.euros(12_050));
        assertEquals("0.05", ReceiptViews.euros(5));
        assertEquals("1.00", ReceiptViews.euros(100));
        assertEquals("99999999.99", ReceiptViews.euros(9_999_999_999L));
    }

    @Test
    void aListItemIsPagoPasNoticeListItem() {
        ReceiptEntry entry = new ReceiptEntry("rcpt-1", TestReceipts.PAYEE, "Comune di Esempio", 12_050, PAID, false, true);
        assertEquals(Json.read("""
                {"eventId":"rcpt-1","payeeName":"Comune di Esempio","payeeTaxCode":"01199250158","amount":"120.50",
                 "noticeDate":"2026-03-15T09:30:00.000Z","isCart":false,"isPayer":false,"isDebtor":true}"""),
                ReceiptViews.listItem(entry));
        ReceiptEntry unnamed = new ReceiptEntry("rcpt-2", TestReceipts.PAYEE, null, 1, PAID, true, false);
        assertTrue(ReceiptViews.listItem(unnamed).path("payeeName").isMissingNode(), "no name, no payeeName");
        assertEquals(Json.read("{\"notices\":[]}"), ReceiptViews.list(List.of()));
    }

    @Test
    void thePayerSeesThePaymentAndWhatWasPaid() {
        Receipt receipt = TestReceipts.receipt("rcpt-1", PAID, MARIO, GIULIA);
        ReceiptDetail detail = ReceiptDetail.forCitizen(TestReceipts.matched(receipt, "TARI 2026 - prima rata"), MARIO,
                "Mario Rossi").orElseThrow();
        assertEquals(Json.read("""
                {"infoNotice":{"eventId":"rcpt-1","rrn":"rcpt-1","noticeDate":"2026-03-15T09:30:00.000Z",
                   "pspName":"Banca Esempio","paymentMethod":"CP","payer":{"name":"Mario Rossi","taxCode":"RSSMRA80A01H501U"},
                   "amount":"120.50","fee":"1.00","origin":"UNKNOWN"},
                 "carts":[{"subject":"TARI 2026 - prima rata","amount":"120.50",
                   "payee":{"name":"Comune di Esempio","taxCode":"01199250158"},"debtor":{"taxCode":"BNCGLI85M41F205X"},
                   "refNumberValue":"302000100000019421","refNumberType":"codiceAvviso"}]}"""),
                ReceiptViews.detail(detail));
        assertEquals(12_150, detail.total());
    }

    @Test
    void aDebtorWhoDidNotPaySeesNeitherThePayerNorHowTheyPaid() {
        Receipt receipt = TestReceipts.receipt("rcpt-1", PAID, MARIO, GIULIA);
        ReceiptDetail detail = ReceiptDetail.forCitizen(TestReceipts.stored(receipt), GIULIA, "Giulia Bianchi")
                .orElseThrow();
        assertNull(detail.payer());
        assertNull(detail.paymentMethod());
        var json = ReceiptViews.detail(detail);
        assertTrue(json.path("infoNotice").path("payer").isMissingNode());
        assertTrue(json.path("infoNotice").path("paymentMethod").isMissingNode());
        assertEquals(Json.read("{\"name\":\"Giulia Bianchi\",\"taxCode\":\"BNCGLI85M41F205X\"}"),
                json.path("carts").get(0).path("debtor"));
        assertEquals("Avviso di pagamento 302000100000019421", json.path("carts").get(0).path("subject").asText(),
                "without a matched message, the notice is what was paid");
    }

    @Test
    void onlyThePayerAndTheDebtorSeeAReceipt() {
        StoredReceipt stored = TestReceipts.stored(TestReceipts.receipt("rcpt-1", PAID, MARIO, GIULIA));
        assertTrue(ReceiptDetail.forCitizen(stored, TestReceipts.ANNA, "Anna Verdi").isEmpty());
        StoredReceipt payerUnknown = TestReceipts.stored(TestReceipts.receipt("rcpt-2", PAID, null, GIULIA));
        ReceiptDetail debtor = ReceiptDetail.forCitizen(payerUnknown, GIULIA, " ").orElseThrow();
        assertNull(debtor.debtor().name(), "a blank name is no name");
        assertTrue(ReceiptDetail.forCitizen(payerUnknown, MARIO, "Mario Rossi").isEmpty());
    }

    @Test
    void aReceiptWithoutOptionalFieldsStillHasEveryRequiredOne() {
        Receipt bare = new Receipt("rcpt-3", TestReceipts.NOTICE, TestReceipts.PAYEE, 500, PAID, MARIO, null, null, null,
                null, null);
        var json = ReceiptViews.detail(ReceiptDetail.forCitizen(TestReceipts.stored(bare), MARIO, "").orElseThrow());
        assertEquals(Json.read("""
                {"infoNotice":{"eventId":"rcpt-3","rrn":"rcpt-3","noticeDate":"2026-03-15T09:30:00.000Z","pspName":"",
                   "paymentMethod":"UNKNOWN","payer":{"taxCode":"RSSMRA80A01H501U"},"amount":"5.00","origin":"UNKNOWN"},
                 "carts":[{"subject":"Avviso di pagamento 302000100000019421","amount":"5.00",
                   "payee":{"taxCode":"01199250158"},"refNumberValue":"302000100000019421","refNumberType":"codiceAvviso"}]}"""),
                json);
    }

    @Test
    void paymentMethodsBecomePagoPasCodes() {
        assertEquals("CP", method("card"));
        assertEquals("CP", method(" Carta di credito "));
        assertEquals("PPAL", method("PayPal"));
        assertEquals("MYBK", method("mybk"));
        assertEquals("BBT", method("BBT"));
        assertEquals("UNKNOWN", method("satispay"));
        assertEquals("UNKNOWN", method(null));
    }

    private static String method(String text) {
        Receipt receipt = new Receipt("r", TestReceipts.NOTICE, TestReceipts.PAYEE, 1, PAID, MARIO, null, null, null, text,
                null);
        return ReceiptDetail.forCitizen(TestReceipts.stored(receipt), MARIO, "").orElseThrow().paymentMethodCode();
    }
}
