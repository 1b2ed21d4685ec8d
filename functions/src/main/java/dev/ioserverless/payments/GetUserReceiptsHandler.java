package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/receipts} on the citizen API (pagoPA's paid-notices list, {@code getPaidNotices}):
 * the receipts the signed-in citizen paid or owed, newest first, as {@code NoticeListWrapResponse}.
 * Query: {@code size} (1 to 100, default 10), {@code is_payer} and {@code is_debtor} (filters),
 * {@code ordering} ({@code DESC}, the default, or {@code ASC}), {@code orderby}
 * ({@code TRANSACTION_DATE}). When more follow, the answer's {@code x-continuation-token} header
 * holds the token to send back, as that header or as the {@code continuation_token} parameter.
 */
public final class GetUserReceiptsHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A page of the shape of {@code NoticeListWrapResponse}, for priming. */
    static final String PRIMING_PAGE = "{\"notices\":[{\"eventId\":\"priming\",\"payeeName\":\"Priming\","
            + "\"payeeTaxCode\":\"00000000000\",\"amount\":\"1.00\",\"noticeDate\":\"2030-01-01T00:00:00.000Z\","
            + "\"isCart\":false,\"isPayer\":true,\"isDebtor\":true}]}";
    private final CitizenApi api;
    private final CitizenReceipts receipts;
    private Priming priming = Priming.none();

    public GetUserReceiptsHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserReceiptsHandler(Config config) {
        this(config, new Log("GetUserReceipts", config));
    }

    private GetUserReceiptsHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), DynamoCitizenReceipts.fromConfig(config));
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_PAGE),
                // This function only reads, and may only Query: the empty list of a citizen who does not
                // exist, which is also its DynamoDB read.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "GET /api/v1/receipts",
                        "/api/v1/receipts", Map.of(), Map.of("size", "1"), null), null), 200)))
                .register();
    }

    public GetUserReceiptsHandler(CitizenApi api, CitizenReceipts receipts) {
        this.api = api;
        this.receipts = receipts;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetUserReceipts", (citizen, request) -> {
            ReceiptQuery query = ReceiptRequests.listQuery(request, citizen.fiscalCode());
            ReceiptPage page = receipts.page(citizen.fiscalCode(), query);
            Map<String, String> headers = page.next() == null ? Map.of() : Map.of(ReceiptRequests.TOKEN_HEADER,
                    ContinuationToken.encode(citizen.fiscalCode(), page.next(), query.newestFirst()));
            return ApiResponse.json(200, ReceiptViews.list(page.items()), headers);
        });
    }
}
