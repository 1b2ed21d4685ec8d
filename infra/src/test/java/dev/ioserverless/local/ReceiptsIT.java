package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.payments.Receipt;
import dev.ioserverless.payments.ReceiptItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The citizen's receipts through the citizen API, in pagoPA's paid-notices shapes: the list and its
 * pages, one receipt, its PDF, each citizen's own receipts only. The receipts are written into the
 * real table as the payment callback writes them (the receipt item and one entry per citizen it
 * concerns); every answer is checked against openapi-citizen.yaml.
 */
class ReceiptsIT {
    private static final OpenApiContract SPEC = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PAYEE = "01199250158";
    private static final Instant FIRST_PAID = Instant.parse("2026-03-02T08:00:00Z");

    // ------------------------------------------------------------------ helpers

    /** Writes the receipt as the payment callback stores it: the receipt item and the citizens' entries. */
    static void store(Receipt receipt) {
        LocalPlatform platform = TestPlatform.get();
        String table = platform.physicalName("ReceiptsTable");
        platform.dynamoDb().putItem(b -> b.tableName(table).item(ReceiptItems.receiptItem(receipt,
                receipt.paidAt().plusSeconds(1))));
        for (var entry : ReceiptItems.citizenEntries(receipt)) {
            platform.dynamoDb().putItem(b -> b.tableName(table).item(entry));
        }
    }

    static Receipt receipt(Instant paidAt, String payer, String debtor, long amount) {
        return new Receipt("it-" + UUID.randomUUID(), notice(), PAYEE, amount, paidAt, payer, debtor, "Comune di Esempio",
                "Banca Esempio", "card", 150L);
    }

    static String notice() {
        return "30" + String.format("%016d", Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 10_000_000_000_000_000L));
    }

    static HttpResponse<String> get(String token, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token).GET();
        headers.forEach(request::header);
        HttpResponse<String> response = TestPlatform.send(request);
        SPEC.assertConforms(response);
        return response;
    }

    static HttpResponse<String> get(String token, String pathAndQuery) {
        return get(token, pathAndQuery, Map.of());
    }

    static JsonNode page(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body());
    }

    static List<String> eventIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("notices").forEach(notice -> ids.add(notice.path("eventId").asText()));
        return ids;
    }

    static String nextToken(HttpResponse<String> response) {
        return response.headers().firstValue("x-continuation-token").orElse(null);
    }

    /** The PDF route, its bytes as sent; the answer checked against the spec. */
    static HttpResponse<byte[]> pdf(String token, String eventId) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl()
                            + "/receipts/" + eventId + "/pdf")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            List<String> violations = SPEC.responseViolations("GET", "/api/v1/receipts/{eventId}/pdf", response.statusCode(),
                    response.headers(), new String(response.body(), StandardCharsets.ISO_8859_1));
            assertEquals(List.of(), violations);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    static void assertProblem(HttpResponse<byte[]> response, int status, String field) {
        assertEquals(status, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = Json.read(new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(status, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().startsWith(field + ":"), problem.toString());
    }

    // ------------------------------------------------------------------ the list

    @Test
    void theListPagesNewestFirstEachReceiptOnceByPagoPasHeaderOrTheQueryParameter() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // paid by the citizen for themselves: one entry, however the receipt is listed
            Receipt receipt = receipt(FIRST_PAID.plus(Duration.ofHours(i)), citizen, citizen, 1_000 + i);
            store(receipt);
            newestFirst.add(0, receipt.receiptId());
        }
        // Two receipts paid in the same millisecond still both come, in id order.
        Receipt twinA = new Receipt("it-twin-a-" + UUID.randomUUID(), notice(), PAYEE, 10, FIRST_PAID.minusSeconds(60),
                citizen, null, null, null, null, null);
        Receipt twinB = new Receipt("it-twin-b-" + twinA.receiptId().substring(10), notice(), PAYEE, 10, twinA.paidAt(),
                citizen, null, null, null, null, null);
        store(twinA);
        store(twinB);
        newestFirst.add(twinB.receiptId());
        newestFirst.add(twinA.receiptId());

        // pagoPA's way: the token comes back in the x-continuation-token header.
        List<String> seen = new ArrayList<>();
        HttpResponse<String> response = get(token, "/receipts?size=4");
        int pages = 1;
        while (true) {
            List<String> ids = eventIds(page(response));
            assertTrue(ids.size() <= 4);
            seen.addAll(ids);
            String next = nextToken(response);
            if (next == null) {
                break;
            }
            response = get(token, "/receipts?size=4", Map.of("x-continuation-token", next));
            pages++;
        }
        assertEquals(3, pages, "9 receipts, 4 a page");
        assertEquals(newestFirst, seen, "every receipt once, newest first");

        // The way: the same token as continuation_token.
        List<String> byQuery = new ArrayList<>();
        String next = null;
        do {
            HttpResponse<String> one = get(token, "/receipts?size=5" + (next == null ? ""
                    : "&continuation_token=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            byQuery.addAll(eventIds(page(one)));
            next = nextToken(one);
        } while (next != null);
        assertEquals(newestFirst, byQuery);

        // Oldest first, and the default size of 10 holds them all.
        List<String> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        HttpResponse<String> ascending = get(token, "/receipts?ordering=ASC&orderby=TRANSACTION_DATE");
        assertEquals(oldestFirst, eventIds(page(ascending)));
        assertEquals(null, nextToken(ascending));
    }

    @Test
    void eachItemSaysWhetherTheCitizenPaidItOwedItOrBoth() {
        String citizen = FiscalCodes.random();
        String relative = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        Receipt both = receipt(FIRST_PAID, citizen, citizen, 12_050);
        Receipt owedOnly = receipt(FIRST_PAID.plusSeconds(60), relative, citizen, 8_400);
        Receipt paidOnly = receipt(FIRST_PAID.plusSeconds(120), citizen, relative, 3_999);
        store(both);
        store(owedOnly);
        store(paidOnly);

        JsonNode list = page(get(token, "/receipts"));
        assertEquals(List.of(paidOnly.receiptId(), owedOnly.receiptId(), both.receiptId()), eventIds(list));
        JsonNode paid = list.path("notices").get(0);
        assertEquals(Set.of("eventId", "payeeName", "payeeTaxCode", "amount", "noticeDate", "isCart", "isPayer", "isDebtor"),
                MessageFlowIT.fieldNames(paid), "exactly pagoPA's NoticeListItem");
        assertEquals("39.99", paid.path("amount").asText(), "euros as a string with two decimals");
        assertEquals("Comune di Esempio", paid.path("payeeName").asText());
        assertEquals(PAYEE, paid.path("payeeTaxCode").asText());
        assertEquals("2026-03-02T08:02:00.000Z", paid.path("noticeDate").asText());
        assertFalse(paid.path("isCart").asBoolean());
        assertEquals(List.of(true, false), flags(paid));
        assertEquals(List.of(false, true), flags(list.path("notices").get(1)));
        assertEquals(List.of(true, true), flags(list.path("notices").get(2)));

        // pagoPA's filters.
        assertEquals(List.of(paidOnly.receiptId(), both.receiptId()), eventIds(page(get(token, "/receipts?is_payer=true"))));
        assertEquals(List.of(owedOnly.receiptId()), eventIds(page(get(token, "/receipts?is_payer=false"))));
        assertEquals(List.of(owedOnly.receiptId(), both.receiptId()), eventIds(page(get(token, "/receipts?is_debtor=true"))));
        // A filtered page may come back short, with a token: following it still gives each once.
        List<String> filtered = new ArrayList<>();
        String next = null;
        do {
            HttpResponse<String> one = get(token, "/receipts?is_debtor=true&size=1", next == null ? Map.of()
                    : Map.of("x-continuation-token", next));
            filtered.addAll(eventIds(page(one)));
            next = nextToken(one);
        } while (next != null);
        assertEquals(List.of(owedOnly.receiptId(), both.receiptId()), filtered);

        // The relative sees the two receipts that concern them, with their own flags.
        JsonNode theirs = page(get(CitizenApiIT.token(relative), "/receipts"));
        assertEquals(List.of(paidOnly.receiptId(), owedOnly.receiptId()), eventIds(theirs));
        assertEquals(List.of(false, true), flags(theirs.path("notices").get(0)));
        assertEquals(List.of(true, false), flags(theirs.path("notices").get(1)));
    }

    private static List<Boolean> flags(JsonNode notice) {
        return List.of(notice.path("isPayer").asBoolean(), notice.path("isDebtor").asBoolean());
    }

    @Test
    void aReceiptIsThereBeforeTheCitizenHasAProfile() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        assertFalse(Json.read(CitizenApiIT.getProfile("Bearer " + token).body()).path("has_profile").asBoolean());
        assertEquals(List.of(), eventIds(page(get(token, "/receipts"))), "nothing yet: an empty list, not a 404");
        Receipt receipt = receipt(FIRST_PAID, null, citizen, 5_000);   // paid at a PSP's counter, payer unknown
        store(receipt);
        assertEquals(List.of(receipt.receiptId()), eventIds(page(get(token, "/receipts"))));
        assertEquals(200, get(token, "/receipts/" + receipt.receiptId()).statusCode());
    }

    @Test
    void badParametersAndTokensAre400sNamingThemNever500s() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        for (int i = 0; i < 3; i++) {
            store(receipt(FIRST_PAID.plusSeconds(i), citizen, citizen, 100));
        }
        for (String size : List.of("0", "101", "ten", "-3", "2.5")) {
            AuthorizationIT.assertProblem(get(token, "/receipts?size=" + size), 400, "size");
        }
        HttpResponse<String> first = get(token, "/receipts?size=1");
        String next = nextToken(first);
        assertTrue(next != null && !next.isEmpty());
        char last = next.charAt(next.length() - 2);
        String tampered = next.substring(0, next.length() - 2) + (last == 'A' ? 'B' : 'A') + next.charAt(next.length() - 1);
        for (String bad : List.of(tampered, "garbage", "Zm9v", next.substring(0, next.length() / 2), "x".repeat(300))) {
            AuthorizationIT.assertProblem(get(token, "/receipts?size=1&continuation_token=" + bad), 400, "continuation_token");
            AuthorizationIT.assertProblem(get(token, "/receipts?size=1", Map.of("x-continuation-token", bad)), 400,
                    "x-continuation-token");
        }
        AuthorizationIT.assertProblem(get(token, "/receipts?size=1&ordering=ASC", Map.of("x-continuation-token", next)),
                400, "x-continuation-token");
        AuthorizationIT.assertProblem(get(CitizenApiIT.token(FiscalCodes.random()), "/receipts?continuation_token=" + next),
                400, "continuation_token");
        AuthorizationIT.assertProblem(get(token, "/receipts?is_payer=maybe"), 400, "is_payer");
        AuthorizationIT.assertProblem(get(token, "/receipts?ordering=newest"), 400, "ordering");
        AuthorizationIT.assertProblem(get(token, "/receipts/" + "x".repeat(65)), 400, "eventId");
        assertEquals(200, get(token, "/receipts?size=1", Map.of("x-continuation-token", next)).statusCode(),
                "the untouched token still works");
    }

    // ------------------------------------------------------------------ one receipt

    @Test
    void theDetailIsPagoPasInfoNoticeAndCart() {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        Receipt receipt = receipt(FIRST_PAID, citizen, citizen, 12_050);
        store(receipt);

        JsonNode detail = page(get(token, "/receipts/" + receipt.receiptId()));
        assertEquals(Set.of("infoNotice", "carts"), MessageFlowIT.fieldNames(detail));
        JsonNode info = detail.path("infoNotice");
        assertEquals(receipt.receiptId(), info.path("eventId").asText());
        assertEquals(receipt.receiptId(), info.path("rrn").asText());
        assertEquals("2026-03-02T08:00:00.000Z", info.path("noticeDate").asText());
        assertEquals("Banca Esempio", info.path("pspName").asText());
        assertEquals("CP", info.path("paymentMethod").asText(), "a card, as pagoPA's code");
        assertEquals(Json.read("{\"name\":\"Giulia Bianchi\",\"taxCode\":\"" + citizen + "\"}"), info.path("payer"));
        assertEquals("120.50", info.path("amount").asText());
        assertEquals("1.50", info.path("fee").asText());
        assertEquals(1, detail.path("carts").size(), "a receipt pays one notice");
        JsonNode cart = detail.path("carts").get(0);
        assertEquals("Avviso di pagamento " + receipt.noticeNumber(), cart.path("subject").asText(),
                "no message matched: the notice is what was paid");
        assertEquals("120.50", cart.path("amount").asText());
        assertEquals(Json.read("{\"name\":\"Comune di Esempio\",\"taxCode\":\"" + PAYEE + "\"}"), cart.path("payee"));
        assertEquals(citizen, cart.path("debtor").path("taxCode").asText());
        assertEquals(receipt.noticeNumber(), cart.path("refNumberValue").asText());
        assertEquals("codiceAvviso", cart.path("refNumberType").asText());
    }

    @Test
    void aDebtorWhoDidNotPaySeesNeitherThePayerNorTheMethod() throws IOException {
        String citizen = FiscalCodes.random();
        String relative = FiscalCodes.random();
        Receipt receipt = receipt(FIRST_PAID, relative, citizen, 8_400);
        store(receipt);
        String token = CitizenApiIT.token(citizen);
        JsonNode info = page(get(token, "/receipts/" + receipt.receiptId())).path("infoNotice");
        assertFalse(info.has("payer"), info.toString());
        assertFalse(info.has("paymentMethod"), info.toString());
        String text = pdfText(pdf(token, receipt.receiptId()).body());
        assertFalse(text.contains(relative), text);
        assertTrue(text.contains("Giulia Bianchi (" + citizen + ")"), "the debtor, named from their token: " + text);
    }

    @Test
    void thePdfShowsWhoPaidWhatToWhomWhenTheNoticeThePspAndTheReceipt() throws IOException {
        String citizen = FiscalCodes.random();
        String token = CitizenApiIT.token(citizen);
        // 10:15 in Rome (summer time): the receipt shows the Italian time.
        Receipt receipt = receipt(Instant.parse("2026-07-01T08:15:00Z"), citizen, citizen, 123_456);
        store(receipt);

        HttpResponse<byte[]> response = pdf(token, receipt.receiptId());
        assertEquals(200, response.statusCode());
        assertEquals("application/pdf", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("inline; filename=\"ricevuta-" + receipt.receiptId() + ".pdf\"",
                response.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("%PDF-", new String(response.body(), 0, 5, StandardCharsets.US_ASCII),
                "the gateway decoded the function's base64 body");
        String text = pdfText(response.body());
        for (String expected : List.of("Giulia Bianchi (" + citizen + ")", "Comune di Esempio (" + PAYEE + ")",
                "1.234,56 €", "1,50 €", "1.236,06 €", receipt.noticeNumber(), "Banca Esempio", "card",
                receipt.receiptId(), "01/07/2026 10:15")) {
            assertTrue(text.contains(expected), "the PDF shows " + expected + ":\n" + text);
        }
    }

    @Test
    void anotherCitizensReceiptIsA404LikeOneThatDoesNotExist() {
        String owner = FiscalCodes.random();
        Receipt receipt = receipt(FIRST_PAID, owner, owner, 100);
        store(receipt);
        String other = CitizenApiIT.token(FiscalCodes.random());

        assertEquals(List.of(), eventIds(page(get(other, "/receipts"))));
        AuthorizationIT.assertProblem(get(other, "/receipts/" + receipt.receiptId()), 404, "eventId");
        assertProblem(pdf(other, receipt.receiptId()), 404, "eventId");
        String ownerToken = CitizenApiIT.token(owner);
        AuthorizationIT.assertProblem(get(ownerToken, "/receipts/it-no-such-receipt"), 404, "eventId");
        assertProblem(pdf(ownerToken, "it-no-such-receipt"), 404, "eventId");
        assertEquals(200, pdf(ownerToken, receipt.receiptId()).statusCode(), "the owner still gets it");
    }

    @Test
    void anEntryAloneDoesNotOpenAReceipt() {
        // Only the receipt item's payer and debtor may read it: an entry that names another citizen
        // (which the callback never writes) lists it for them, but opens nothing.
        String owner = FiscalCodes.random();
        String intruder = FiscalCodes.random();
        Receipt receipt = receipt(FIRST_PAID, owner, owner, 100);
        store(receipt);
        Receipt asIfTheirs = new Receipt(receipt.receiptId(), receipt.noticeNumber(), PAYEE, 100, receipt.paidAt(), intruder,
                null, null, null, null, null);
        LocalPlatform platform = TestPlatform.get();
        for (var entry : ReceiptItems.citizenEntries(asIfTheirs)) {
            platform.dynamoDb().putItem(b -> b.tableName(platform.physicalName("ReceiptsTable")).item(entry));
        }
        String token = CitizenApiIT.token(intruder);
        assertEquals(List.of(receipt.receiptId()), eventIds(page(get(token, "/receipts"))));
        AuthorizationIT.assertProblem(get(token, "/receipts/" + receipt.receiptId()), 404, "eventId");
        assertProblem(pdf(token, receipt.receiptId()), 404, "eventId");
    }

    @Test
    void theDemoCitizenHasTheDemosReceipts() {
        JsonNode demo = TestPlatform.demoJson();
        String token = CitizenApiIT.token(demo.path("citizen_fiscal_code").asText());
        JsonNode list = page(get(token, "/receipts"));
        Set<String> ids = new HashSet<>(eventIds(list));
        assertTrue(ids.contains(demo.path("receipt_event_id").asText()), list.toString());
        assertNotEquals(0, list.path("notices").size());
    }
}
