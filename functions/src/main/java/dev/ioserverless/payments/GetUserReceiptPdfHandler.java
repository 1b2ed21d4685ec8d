package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.services.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/receipts/{eventId}/pdf} on the citizen API (pagoPA's {@code generatePDF}): one of
 * the citizen's receipts as a PDF ({@code application/pdf}, sent base64-encoded for API Gateway to
 * decode), shown inline. The same 404 as the detail for a receipt the citizen neither paid nor owed.
 * A function of its own, so that PDFBox weighs only on its own cold start.
 */
public final class GetUserReceiptPdfHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A receipt of nobody's, which priming renders so that the snapshot holds PDFBox warm. */
    static final ReceiptDetail PRIMING_RECEIPT = new ReceiptDetail(Priming.ABSENT, Instant.parse("2030-01-01T00:00:00Z"),
            "Priming", "CP", new ReceiptDetail.Party(Priming.NOBODY, "Priming"), 100, 10L, "Priming",
            new ReceiptDetail.Party("00000000000", "Priming"), new ReceiptDetail.Party(Priming.NOBODY, null),
            "000000000000000000", true, true);
    private final CitizenApi api;
    private final CitizenReceipts receipts;
    private Priming priming = Priming.none();

    public GetUserReceiptPdfHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserReceiptPdfHandler(Config config) {
        this(config, new Log("GetUserReceiptPdf", config));
    }

    private GetUserReceiptPdfHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), DynamoCitizenReceipts.fromConfig(config));
        priming = new Priming(log, List.of(
                Priming.json(GetUserReceiptHandler.PRIMING_DETAIL),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE"), ReceiptItems.PK,
                        ReceiptItems.SK),
                new Priming.Step("pdf", () -> ReceiptPdf.render(PRIMING_RECEIPT)),
                // This function only reads: a receipt that does not exist.
                Priming.http(() -> handleRequest(GetUserReceiptHandler.absentReceiptRequest(api,
                        "GET /api/v1/receipts/{eventId}/pdf", "/pdf"), null), 404)))
                .register();
    }

    public GetUserReceiptPdfHandler(CitizenApi api, CitizenReceipts receipts) {
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
        return api.handle(event, "GetUserReceiptPdf", (citizen, request) -> {
            ReceiptDetail detail = GetUserReceiptHandler.detail(receipts, citizen, request);
            return ApiResponse.binary(200, "application/pdf", ReceiptPdf.render(detail),
                    Map.of("Content-Disposition", "inline; filename=\"ricevuta-" + detail.receiptId() + ".pdf\""));
        });
    }
}
