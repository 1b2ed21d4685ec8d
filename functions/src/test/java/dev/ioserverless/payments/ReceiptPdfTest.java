package dev.ioserverless.payments;

import static dev.ioserverless.payments.TestReceipts.GIULIA;
import static dev.ioserverless.payments.TestReceipts.MARIO;
import static dev.ioserverless.payments.TestReceipts.PAID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class ReceiptPdfTest {

    static String text(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(1, document.getNumberOfPages());
            return new PDFTextStripper().getText(document);
        }
    }

    @Test
    void thePayersReceiptShowsWhoPaidWhatToWhomWhenAndHow() throws IOException {
        Receipt receipt = TestReceipts.receipt("rcpt-2026-0001", PAID, MARIO, GIULIA);
        byte[] pdf = ReceiptPdf.render(ReceiptDetail.forCitizen(TestReceipts.matched(receipt, "TARI 2026 - prima rata"),
                MARIO, "Mario Rossi").orElseThrow());
        assertTrue(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-"));
        String text = text(pdf);
        for (String expected : new String[] {"Ricevuta di pagamento", "Mario Rossi (RSSMRA80A01H501U)",
                "Comune di Esempio (01199250158)", "120,50 €", "1,00 €", "121,50 €", "302000100000019421",
                "Banca Esempio", "card", "rcpt-2026-0001", "15/03/2026 10:30", "TARI 2026 - prima rata",
                "BNCGLI85M41F205X"}) {
            assertTrue(text.contains(expected), "the PDF shows " + expected + ":\n" + text);
        }
    }

    @Test
    void aDebtorsReceiptLeavesOutThePayerAndTheMethod() throws IOException {
        Receipt receipt = TestReceipts.receipt("rcpt-2026-0002", PAID, MARIO, GIULIA);
        String text = text(ReceiptPdf.render(ReceiptDetail.forCitizen(TestReceipts.stored(receipt), GIULIA,
                "Giulia Bianchi").orElseThrow()));
        assertFalse(text.contains(MARIO), text);
        assertFalse(text.contains("Pagato da"), text);
        assertFalse(text.contains("Metodo di pagamento"), text);
        assertTrue(text.contains("Giulia Bianchi (BNCGLI85M41F205X)"), text);
        assertTrue(text.contains("Avviso di pagamento 302000100000019421"), text);
    }

    @Test
    void anyNamePrintsAndLongTextsWrap() throws IOException {
        String longSubject = "Tassa sui rifiuti: saldo dell'anno 2026 per l'immobile di via Garibaldi 12, interno 4, "
                + "con la maggiorazione per i servizi indivisibili stabilita dal consiglio comunale";
        Receipt receipt = new Receipt("rcpt-3", TestReceipts.NOTICE, TestReceipts.PAYEE, 123_456_789, PAID, MARIO, null,
                "Città di Bolzano / Stadt Bozen 市\tß", null, null, null);
        String text = text(ReceiptPdf.render(ReceiptDetail.forCitizen(TestReceipts.matched(receipt, longSubject), MARIO,
                "Mario Rossi").orElseThrow()));
        assertTrue(text.contains("Città di Bolzano / Stadt Bozen ? ß"), text);
        assertTrue(text.contains("1.234.567,89 €"), text);
        assertTrue(text.contains("non indicato"), "no PSP given: " + text);
        assertTrue(text.replaceAll("\\s+", " ").contains(longSubject), text);
    }

    @Test
    void italianAmounts() {
        assertEquals("0,05 €", ReceiptPdf.euros(5));
        assertEquals("1.000,00 €", ReceiptPdf.euros(100_000));
        assertEquals("999,99 €", ReceiptPdf.euros(99_999));
    }
}
