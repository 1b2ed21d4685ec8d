package dev.ioserverless.payments;

import static dev.ioserverless.payments.TestReceipts.API;
import static dev.ioserverless.payments.TestReceipts.GIULIA;
import static dev.ioserverless.payments.TestReceipts.MARIO;
import static dev.ioserverless.payments.TestReceipts.PAID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.SampleEvents;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptHandlersTest {
    final InMemoryCitizenReceipts receipts = new InMemoryCitizenReceipts();
    final GetUserReceiptsHandler list = new GetUserReceiptsHandler(API, receipts);
    final GetUserReceiptHandler detail = new GetUserReceiptHandler(API, receipts);
    final GetUserReceiptPdfHandler pdf = new GetUserReceiptPdfHandler(API, receipts);

    /** Seven receipts of Mario's, a minute apart, oldest first: rcpt-0 ... rcpt-6. */
    List<String> sevenReceipts() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "rcpt-" + i;
            receipts.add(TestReceipts.stored(TestReceipts.receipt(id, PAID.plusSeconds(60L * i), MARIO,
                    i % 2 == 0 ? MARIO : GIULIA)));
            ids.add(id);
        }
        return ids;
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        assertTrue(Json.read(response.getBody()).path("detail").asText().startsWith(field + ":"), response.getBody());
    }

    static List<String> ids(APIGatewayV2HTTPResponse response) {
        List<String> ids = new ArrayList<>();
        Json.read(response.getBody()).path("notices").forEach(n -> ids.add(n.path("eventId").asText()));
        return ids;
    }

    @Test
    void pagesFollowEachOtherByTheirTokenEachReceiptOnceNewestFirst() {
        List<String> ids = sevenReceipts();
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            APIGatewayV2HTTPResponse page = list.handleRequest(TestReceipts.list(MARIO, token == null
                    ? Map.of("size", "3") : Map.of("size", "3", "continuation_token", token)), null);
            assertEquals(200, page.getStatusCode(), page.getBody());
            seen.addAll(ids(page));
            token = page.getHeaders().get("x-continuation-token");
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void oldestFirstAndPagoPasFilters() {
        List<String> ids = sevenReceipts();
        APIGatewayV2HTTPResponse ascending = list.handleRequest(TestReceipts.list(MARIO, Map.of("ordering", "ASC",
                "size", "4")), null);
        assertEquals(ids.subList(0, 4), ids(ascending));
        String token = ascending.getHeaders().get("x-continuation-token");
        APIGatewayV2HTTPResponse rest = list.handleRequest(TestReceipts.list(MARIO, Map.of("ordering", "ASC"),
                Map.of("x-continuation-token", token)), null);
        assertEquals(ids.subList(4, 7), ids(rest));
        assertNull(rest.getHeaders().get("x-continuation-token"));

        assertEquals(List.of("rcpt-5", "rcpt-3", "rcpt-1"), ids(list.handleRequest(TestReceipts.list(MARIO,
                Map.of("is_debtor", "false")), null)));
        assertEquals(List.of("rcpt-5", "rcpt-3", "rcpt-1"), ids(list.handleRequest(TestReceipts.list(GIULIA,
                Map.of("is_payer", "false")), null)), "Giulia owed the odd ones, Mario paid them");
    }

    @Test
    void badParametersAre400sNamingThem() {
        sevenReceipts();
        assertProblem(list.handleRequest(TestReceipts.list(MARIO, Map.of("size", "0")), null), 400, "size");
        assertProblem(list.handleRequest(TestReceipts.list(MARIO, Map.of("continuation_token", "bogus")), null), 400,
                "continuation_token");
        String token = list.handleRequest(TestReceipts.list(MARIO, Map.of("size", "1")), null).getHeaders()
                .get("x-continuation-token");
        assertProblem(list.handleRequest(TestReceipts.list(GIULIA, Map.of("continuation_token", token)), null), 400,
                "continuation_token");
        assertProblem(detail.handleRequest(TestReceipts.detail(MARIO, "a b"), null), 400, "eventId");
    }

    @Test
    void theDetailAndThePdfAreTheCitizensOwnOnly() throws Exception {
        receipts.add(TestReceipts.stored(TestReceipts.receipt("rcpt-1", PAID, MARIO, MARIO)));
        APIGatewayV2HTTPResponse found = detail.handleRequest(TestReceipts.detail(MARIO, "rcpt-1"), null);
        assertEquals(200, found.getStatusCode(), found.getBody());
        JsonNode body = Json.read(found.getBody());
        assertEquals("Mario Rossi", body.path("infoNotice").path("payer").path("name").asText(), "the name from the token");
        assertEquals("rcpt-1", body.path("infoNotice").path("rrn").asText());

        APIGatewayV2HTTPResponse document = pdf.handleRequest(TestReceipts.pdf(MARIO, "rcpt-1"), null);
        assertEquals(200, document.getStatusCode(), document.getBody());
        assertEquals("application/pdf", document.getHeaders().get("Content-Type"));
        assertEquals("inline; filename=\"ricevuta-rcpt-1.pdf\"", document.getHeaders().get("Content-Disposition"));
        assertTrue(document.getIsBase64Encoded());
        String text = ReceiptPdfTest.text(Base64.getDecoder().decode(document.getBody()));
        assertTrue(text.contains("rcpt-1"), text);

        for (String other : List.of(GIULIA, TestReceipts.ANNA)) {
            assertProblem(detail.handleRequest(TestReceipts.detail(other, "rcpt-1"), null), 404, "eventId");
            assertProblem(pdf.handleRequest(TestReceipts.pdf(other, "rcpt-1"), null), 404, "eventId");
        }
        assertProblem(detail.handleRequest(TestReceipts.detail(MARIO, "rcpt-unknown"), null), 404, "eventId");
        assertProblem(pdf.handleRequest(TestReceipts.pdf(MARIO, "rcpt-unknown"), null), 404, "eventId");
    }

    @Test
    void theSamplesAreAnsweredFromTheDemoCitizensReceipts() {
        receipts.add(TestReceipts.stored(TestReceipts.receipt("demo-tari-2026-0001", PAID, SampleEvents.SAMPLE_FISCAL_CODE,
                SampleEvents.SAMPLE_FISCAL_CODE)));
        APIGatewayV2HTTPResponse page = list.handleRequest(sample("GetUserReceiptsFunction"), null);
        assertEquals(200, page.getStatusCode(), page.getBody());
        assertEquals(List.of("demo-tari-2026-0001"), ids(page));
        assertEquals(200, detail.handleRequest(sample("GetUserReceiptFunction"), null).getStatusCode());
        assertEquals(200, pdf.handleRequest(sample("GetUserReceiptPdfFunction"), null).getStatusCode());
    }

    @Test
    @ExpectedErrors("request_failed")
    void aStoreFailureIsA500ThatRevealsNothing() {
        CitizenReceipts broken = new CitizenReceipts() {
            @Override
            public ReceiptPage page(String fiscalCode, ReceiptQuery query) {
                throw new IllegalStateException("table unavailable for " + fiscalCode);
            }

            @Override
            public Optional<StoredReceipt> find(String receiptId) {
                throw new IllegalStateException("table unavailable");
            }
        };
        APIGatewayV2HTTPResponse response = new GetUserReceiptsHandler(API, broken)
                .handleRequest(TestReceipts.list(MARIO, Map.of()), null);
        assertEquals(500, response.getStatusCode());
        assertFalse(response.getBody().contains(MARIO));
        assertEquals(500, new GetUserReceiptPdfHandler(API, broken).handleRequest(TestReceipts.pdf(MARIO, "r"), null)
                .getStatusCode());
    }

    static APIGatewayV2HTTPEvent sample(String function) {
        return LambdaEvents.read(SampleEvents.load(function), APIGatewayV2HTTPEvent.class);
    }
}
