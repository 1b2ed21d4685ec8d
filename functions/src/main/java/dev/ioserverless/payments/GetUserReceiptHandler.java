package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.Citizen;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/receipts/{eventId}} on the citizen API (pagoPA's {@code getPaidNoticeDetail}):
 * one of the citizen's receipts as {@code NoticeDetailResponse}, the payment ({@code infoNotice})
 * and the notice it paid ({@code carts}). A receipt the citizen neither paid nor owed is a 404
 * exactly like one that does not exist.
 */
public final class GetUserReceiptHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A detail of the shape of {@code NoticeDetailResponse}, for priming. */
    static final String PRIMING_DETAIL = "{\"infoNotice\":{\"eventId\":\"priming\",\"rrn\":\"priming\","
            + "\"noticeDate\":\"2030-01-01T00:00:00.000Z\",\"pspName\":\"Priming\",\"paymentMethod\":\"CP\","
            + "\"payer\":{\"name\":\"Priming\",\"taxCode\":\"" + Priming.NOBODY + "\"},\"amount\":\"1.00\",\"fee\":\"0.10\","
            + "\"origin\":\"UNKNOWN\"},\"carts\":[{\"subject\":\"Priming\",\"amount\":\"1.00\",\"payee\":{\"name\":\"Priming\","
            + "\"taxCode\":\"00000000000\"},\"debtor\":{\"taxCode\":\"" + Priming.NOBODY + "\"},"
            + "\"refNumberValue\":\"000000000000000000\",\"refNumberType\":\"codiceAvviso\"}]}";
    private final CitizenApi api;
    private final CitizenReceipts receipts;
    private Priming priming = Priming.none();

    public GetUserReceiptHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserReceiptHandler(Config config) {
        this(config, new Log("GetUserReceipt", config));
    }

    private GetUserReceiptHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), DynamoCitizenReceipts.fromConfig(config));
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_DETAIL),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE"), ReceiptItems.PK,
                        ReceiptItems.SK),
                // This function only reads: a receipt that does not exist.
                Priming.http(() -> handleRequest(absentReceiptRequest(api, "GET /api/v1/receipts/{eventId}", ""), null),
                        404)))
                .register();
    }

    public GetUserReceiptHandler(CitizenApi api, CitizenReceipts receipts) {
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
        return api.handle(event, "GetUserReceipt", (citizen, request) ->
                ApiResponse.json(200, ReceiptViews.detail(detail(receipts, citizen, request))));
    }

    /** The receipt of the path as the citizen sees it; 404 unless they paid or owed it. */
    static ReceiptDetail detail(CitizenReceipts receipts, Citizen citizen, APIGatewayV2HTTPEvent request) {
        String id = ReceiptRequests.eventId(request);
        return receipts.find(id)
                .flatMap(stored -> ReceiptDetail.forCitizen(stored, citizen.fiscalCode(),
                        citizen.name() + " " + citizen.familyName()))
                .orElseThrow(() -> new ProblemException(Problem.notFound("eventId: no such receipt")));
    }

    /** A request of the citizen {@link Priming#NOBODY} for a receipt that cannot exist. */
    static APIGatewayV2HTTPEvent absentReceiptRequest(CitizenApi api, String routeKey, String suffix) {
        return Priming.citizenRequest(api.fiscalCodeClaim(), routeKey, "/api/v1/receipts/" + Priming.ABSENT + suffix,
                Map.of("eventId", Priming.ABSENT), Map.of(), null);
    }
}
