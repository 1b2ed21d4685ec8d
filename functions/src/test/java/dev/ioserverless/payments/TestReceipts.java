package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Receipts, citizens and citizen API requests for the payments tests. */
final class TestReceipts {
    static final String MARIO = "RSSMRA80A01H501U";
    static final String GIULIA = "BNCGLI85M41F205X";
    static final String ANNA = "VRDNNA90A41L219P";
    static final String PAYEE = "01199250158";
    static final String NOTICE = "302000100000019421";
    static final Instant PAID = Instant.parse("2026-03-15T09:30:00Z");
    static final Log LOG = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    static final CitizenApi API = new CitizenApi("fiscal_code", LOG);

    private TestReceipts() {
    }

    static Receipt receipt(String id, Instant paidAt, String payer, String debtor) {
        return new Receipt(id, NOTICE, PAYEE, 12_050, paidAt, payer, debtor, "Comune di Esempio", "Banca Esempio",
                "card", 100L);
    }

    static StoredReceipt stored(Receipt receipt) {
        return new StoredReceipt(receipt, receipt.paidAt().plusSeconds(2), null, null, null, false);
    }

    static StoredReceipt matched(Receipt receipt, String subject) {
        return new StoredReceipt(receipt, receipt.paidAt().plusSeconds(2), "01HRZ8Y3M6X3W8Q6J7K9ZVB1QS", subject, 12_050L,
                false);
    }

    /** A citizen API request as the JWT authorizer passes it on, signed in as {@code fiscalCode}. */
    static APIGatewayV2HTTPEvent request(String fiscalCode, String routeKey, String path, Map<String, String> pathParameters,
                                         Map<String, String> query, Map<String, String> headers) {
        APIGatewayV2HTTPEvent event = Priming.request(routeKey, path, pathParameters, query, null);
        event.setHeaders(new HashMap<>(headers));
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("fiscal_code", fiscalCode, "name", "Mario", "family_name", "Rossi"))
                        .build())
                .build());
        return event;
    }

    static APIGatewayV2HTTPEvent list(String fiscalCode, Map<String, String> query) {
        return list(fiscalCode, query, Map.of());
    }

    static APIGatewayV2HTTPEvent list(String fiscalCode, Map<String, String> query, Map<String, String> headers) {
        return request(fiscalCode, "GET /api/v1/receipts", "/api/v1/receipts", Map.of(), query, headers);
    }

    static APIGatewayV2HTTPEvent detail(String fiscalCode, String eventId) {
        return request(fiscalCode, "GET /api/v1/receipts/{eventId}", "/api/v1/receipts/" + eventId,
                Map.of("eventId", eventId), Map.of(), Map.of());
    }

    static APIGatewayV2HTTPEvent pdf(String fiscalCode, String eventId) {
        return request(fiscalCode, "GET /api/v1/receipts/{eventId}/pdf", "/api/v1/receipts/" + eventId + "/pdf",
                Map.of("eventId", eventId), Map.of(), Map.of());
    }
}
