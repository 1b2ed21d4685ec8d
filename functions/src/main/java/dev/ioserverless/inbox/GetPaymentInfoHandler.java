package dev.ioserverless.inbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.messages.MessageStore;
import dev.ioserverless.messages.NoticeReceipts;
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/payment-info/{rptId}} on the citizen API (IO's {@code getPaymentInfoV2}): what
 * the app shows before paying a notice that reached the citizen in a message, in the shape of
 * pagoPA's {@code PaymentRequestsGetResponse}: {@code rptId}, {@code paFiscalCode}, {@code paName},
 * {@code description} (the message's subject), {@code amount} and {@code dueDate} (the day, in
 * Italy). A paid notice is a 409 {@code PAYMENT_DUPLICATED / PAA_PAGAMENTO_DUPLICATO}, an expired
 * one ({@code invalid_after_due_date}, due date passed) a 409 {@code PAYMENT_EXPIRED /
 * PAA_PAGAMENTO_SCADUTO}, as pagoPA answers them; a notice of no message of this citizen's is a 404
 * {@code PAYMENT_UNKNOWN / PAA_PAGAMENTO_SCONOSCIUTO}, whoever else it reached.
 */
public final class GetPaymentInfoHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** The payee's 11 digits and the 18-digit notice number. */
    static final Pattern RPT_ID = Pattern.compile("^[0-9]{29}$");
    static final ZoneId ITALY = ZoneId.of("Europe/Rome");
    private static final int MAX_DESCRIPTION = 140;

    private final CitizenApi api;
    private final NoticeReceipts notices;
    private final MessageStore messages;
    private final Senders senders;
    private final Clock clock;
    private Priming priming = Priming.none();

    public GetPaymentInfoHandler() {
        this(Config.fromEnvironment());
    }

    public GetPaymentInfoHandler(Config config) {
        this(config, new Log("GetPaymentInfo", config));
    }

    private GetPaymentInfoHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new dev.ioserverless.payments.DynamoReceiptLedger(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE")),
                DynamoMessageStore.fromConfig(config),
                new DynamoSenders(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE")), config.clock());
        String rptId = "0".repeat(29);
        priming = new Priming(log, List.of(
                Priming.json("{\"rptId\":\"" + rptId + "\",\"amount\":1}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // Reads only: a notice of no message.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "GET /api/v1/payment-info/{rptId}",
                        "/api/v1/payment-info/" + rptId, Map.of("rptId", rptId), Map.of(), null), null), 404)))
                .register();
    }

    public GetPaymentInfoHandler(CitizenApi api, NoticeReceipts notices, MessageStore messages, Senders senders, Clock clock) {
        this.api = api;
        this.notices = notices;
        this.messages = messages;
        this.senders = senders;
        this.clock = clock;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetPaymentInfo", (citizen, request) -> {
            String rptId = Http.pathParameter(request, "rptId");
            if (rptId == null || !RPT_ID.matcher(rptId).matches()) {
                throw new ProblemException(Problem.badRequest(
                        "rptId: the payee's 11-digit fiscal code followed by the 18-digit notice number"));
            }
            // The citizen's newest processed message of the notice.
            Optional<Message> found = notices.messagesOf(rptId).stream()
                    .filter(m -> m.fiscalCode().equals(citizen.fiscalCode()))
                    .map(m -> messages.find(m.messageId())).flatMap(Optional::stream)
                    .filter(m -> m.fiscalCode().equals(citizen.fiscalCode()) && m.status() == MessageStatus.PROCESSED)
                    .max(Comparator.comparing(Message::id));
            if (found.isEmpty()) {
                return fault(404, "PAYMENT_UNKNOWN", "PAA_PAGAMENTO_SCONOSCIUTO");
            }
            Message message = found.get();
            NoticeState state = NoticeState.of(message, clock.instant());
            if (state == NoticeState.PAID) {
                return fault(409, "PAYMENT_DUPLICATED", "PAA_PAGAMENTO_DUPLICATO");
            }
            if (state == NoticeState.EXPIRED) {
                return fault(409, "PAYMENT_EXPIRED", "PAA_PAGAMENTO_SCADUTO");
            }
            Senders.Sender sender = senders.find(List.of(message.senderServiceId()))
                    .getOrDefault(message.senderServiceId(), Senders.Sender.unknown(message.senderServiceId()));
            ObjectNode body = Json.object();
            body.put("rptId", rptId);
            body.put("paFiscalCode", rptId.substring(0, 11));
            if (rptId.substring(0, 11).equals(sender.organizationFiscalCode())) {
                body.put("paName", truncate(sender.organizationName()));
            }
            body.put("description", truncate(message.content().subject()));
            body.put("amount", message.content().paymentData().amount());
            if (message.content().dueDate() != null) {
                body.put("dueDate", message.content().dueDate().atZone(ITALY).toLocalDate().toString());
            }
            return ApiResponse.json(200, body);
        });
    }

    /** pagoPA's fault for a notice that cannot be paid (not a problem+json: the app reads these fields). */
    private static ApiResponse fault(int status, String category, String detail) {
        ObjectNode body = Json.object();
        body.put("title", category.equals("PAYMENT_UNKNOWN") ? "Payment notice unknown" : "Payment notice not payable");
        body.put("faultCodeCategory", category);
        body.put("faultCodeDetail", detail);
        return ApiResponse.json(status, body);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION);
    }
}
