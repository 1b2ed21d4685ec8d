package dev.ioserverless.payments;

import static dev.ioserverless.payments.TestReceipts.MARIO;
import static dev.ioserverless.payments.TestReceipts.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptRequestsTest {
    static final String TOKEN = ContinuationToken.encode(MARIO, ContinuationTokenTest.AT, true);

    static void assertBadRequest(String field, Runnable call) {
        ProblemException e = assertThrows(ProblemException.class, call::run);
        assertEquals(400, e.problem().status());
        assertTrue(e.problem().detail().startsWith(field + ":"), e.problem().detail());
    }

    @Test
    void withoutParametersTheFirstPageOfTenNewestFirst() {
        ReceiptQuery query = ReceiptRequests.listQuery(list(MARIO, Map.of()), MARIO);
        assertEquals(new ReceiptQuery(10, null, true, null, null), query);
        assertFalse(query.filtered());
    }

    @Test
    void sizeIsAnIntegerFromOneToAHundred() {
        assertEquals(1, ReceiptRequests.listQuery(list(MARIO, Map.of("size", "1")), MARIO).size());
        assertEquals(100, ReceiptRequests.listQuery(list(MARIO, Map.of("size", "100")), MARIO).size());
        for (String bad : List.of("0", "101", "-1", "ten", "", "1.5", "99999999999", "5,6")) {
            assertBadRequest("size", () -> ReceiptRequests.listQuery(list(MARIO, Map.of("size", bad)), MARIO));
        }
    }

    @Test
    void theTokenComesAsPagoPasHeaderOrAsTheQueryParameter() {
        ReceiptQuery byHeader = ReceiptRequests.listQuery(list(MARIO, Map.of(),
                Map.of("x-continuation-token", TOKEN)), MARIO);
        assertEquals(ContinuationTokenTest.AT, byHeader.after());
        ReceiptQuery byQuery = ReceiptRequests.listQuery(list(MARIO, Map.of("continuation_token", TOKEN)), MARIO);
        assertEquals(ContinuationTokenTest.AT, byQuery.after());
        ReceiptQuery both = ReceiptRequests.listQuery(list(MARIO, Map.of("continuation_token", TOKEN),
                Map.of("X-Continuation-Token", TOKEN)), MARIO);
        assertEquals(ContinuationTokenTest.AT, both.after());
        assertNull(ReceiptRequests.listQuery(list(MARIO, Map.of("continuation_token", ""),
                Map.of("x-continuation-token", "")), MARIO).after(), "empty is none");
    }

    @Test
    void aBadTokenIsA400NamingWhereItCameFrom() {
        assertBadRequest("continuation_token", () -> ReceiptRequests.listQuery(list(MARIO,
                Map.of("continuation_token", TOKEN + "x")), MARIO));
        assertBadRequest("x-continuation-token", () -> ReceiptRequests.listQuery(list(MARIO, Map.of(),
                Map.of("x-continuation-token", "garbage")), MARIO));
        assertBadRequest("continuation_token", () -> ReceiptRequests.listQuery(list(MARIO,
                Map.of("continuation_token", ContinuationToken.encode(TestReceipts.GIULIA, ContinuationTokenTest.AT, true))),
                MARIO));
        assertBadRequest("continuation_token", () -> ReceiptRequests.listQuery(list(MARIO,
                Map.of("continuation_token", TOKEN), Map.of("x-continuation-token", "other")), MARIO));
        assertBadRequest("continuation_token", () -> ReceiptRequests.listQuery(list(MARIO,
                Map.of("continuation_token", TOKEN, "ordering", "ASC")), MARIO));
    }

    @Test
    void pagoPasFiltersAndOrdering() {
        ReceiptQuery query = ReceiptRequests.listQuery(list(MARIO, Map.of("is_payer", "true", "is_debtor", "false",
                "ordering", "ASC", "orderby", "TRANSACTION_DATE")), MARIO);
        assertEquals(new ReceiptQuery(10, null, false, true, false), query);
        assertTrue(query.filtered());
        assertBadRequest("is_payer", () -> ReceiptRequests.listQuery(list(MARIO, Map.of("is_payer", "yes")), MARIO));
        assertBadRequest("is_debtor", () -> ReceiptRequests.listQuery(list(MARIO, Map.of("is_debtor", "1")), MARIO));
        assertBadRequest("ordering", () -> ReceiptRequests.listQuery(list(MARIO, Map.of("ordering", "desc")), MARIO));
        assertBadRequest("orderby", () -> ReceiptRequests.listQuery(list(MARIO, Map.of("orderby", "AMOUNT")), MARIO));
    }

    @Test
    void anEventIdIsAReceiptId() {
        assertEquals("rcpt-1.a:b_c", ReceiptRequests.eventId(TestReceipts.detail(MARIO, "rcpt-1.a:b_c")));
        for (String bad : List.of("", "a/b", "a b", "x".repeat(65), "ré")) {
            assertBadRequest("eventId", () -> ReceiptRequests.eventId(TestReceipts.detail(MARIO, bad)));
        }
    }
}
