package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.DynamoPaymentMarks;
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /payments/v1/callback}, which the payment platform calls with each receipt. API
 * Gateway runs no authorizer on this route: the request's {@code X-Signature}
 * ({@link CallbackSignature}) is its authentication, checked against the secrets of the SSM
 * parameter {@code PAYMENT_CALLBACK_SECRET_PARAMETER} before the body is even parsed.
 *
 * <ul>
 *   <li>401 for a missing, malformed, stale or wrong signature; 415, 413 or 400 for a body that is
 *       not a well-formed receipt ({@link CallbackRequest}); nothing is written for any of them.
 *   <li>200 when the receipt paid a message (or a replay of one that did); 202 when no message of
 *       the notice exists yet: the receipt is kept, and a message arriving later is born paid.
 *   <li>409 for a different receipt under a receipt id already kept.
 * </ul>
 *
 * The reply names the receipt and whether its amount differs from the notice's. Logs carry the
 * receipt id and outcome; never the payer, the debtor or the signature.
 */
public final class PaymentCallbackHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A receipt is a few hundred bytes; anything this large is not one. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final CallbackSecrets secrets;
    private final PaymentCallback callback;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public PaymentCallbackHandler() {
        this(Config.fromEnvironment());
    }

    public PaymentCallbackHandler(Config config) {
        this(config, new Log("PaymentCallback", config));
    }

    private PaymentCallbackHandler(Config config, Log log) {
        this(new SsmCallbackSecrets(AwsClients.ssm(config), config.require("PAYMENT_CALLBACK_SECRET_PARAMETER"),
                        config.clock()),
                new PaymentCallback(new DynamoReceiptLedger(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE")),
                        new DynamoPaymentMarks(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"))),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json("{\"receipt_id\":\"" + Priming.ABSENT + "\",\"amount\":1}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE"), "pk", "sk"),
                // Unsigned: refused before the secrets are read (they are never part of a snapshot).
                Priming.http(() -> handleRequest(Priming.request("POST /payments/v1/callback", "/payments/v1/callback",
                        Map.of(), Map.of(), "{}"), null), 401)))
                .register();
    }

    public PaymentCallbackHandler(CallbackSecrets secrets, PaymentCallback callback, Clock clock, Log log) {
        this.secrets = secrets;
        this.callback = callback;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String receiptId = null;
        try {
            byte[] body = Http.bodyBytes(event);
            if (body.length > MAX_BODY_BYTES) {
                throw new ProblemException(Problem.of(413, "Payload too large", "body: larger than " + MAX_BODY_BYTES + " bytes"));
            }
            authenticate(Http.header(event, CallbackSignature.HEADER).orElse(null), body);
            Receipt receipt = CallbackRequest.parse(Http.jsonObjectBody(event));
            receiptId = receipt.receiptId();
            PaymentCallback.Outcome outcome = callback.accept(receipt, clock.instant());
            log.info("receipt_accepted", "receipt_id", receiptId, "recorded", outcome.recorded().name(),
                    "messages", outcome.messages().size(), "newly_paid", outcome.newlyPaid(),
                    "amount_mismatch", outcome.amountMismatch());
            ObjectNode reply = Json.object();
            reply.put("receipt_id", receiptId);
            reply.put("status", outcome.matched() ? "PAID" : "KEPT");
            reply.put("amount_mismatch", outcome.amountMismatch());
            return ApiResponse.json(outcome.matched() ? 200 : 202, reply).toLambda();
        } catch (ProblemException e) {
            log.info("request_rejected", "operation", "PaymentCallback", "receipt_id", receiptId,
                    "status", e.problem().status(), "detail", e.problem().detail());
            return ApiResponse.problem(e.problem()).toLambda();
        } catch (RuntimeException e) {
            log.error("request_failed", "operation", "PaymentCallback", "receipt_id", receiptId,
                    "error", Failures.describe(e));
            return ApiResponse.problem(Problem.of(503, "Service unavailable",
                    "request: could not be completed; retry later")).toLambda();
        }
    }

    private void authenticate(String header, byte[] body) {
        // A request without a well-formed header is refused before the secrets are read.
        CallbackSignature.Verdict verdict = CallbackSignature.verify(header, body, List.of(), clock.instant());
        if (verdict == CallbackSignature.Verdict.MISMATCH) {
            verdict = CallbackSignature.verify(header, body, secrets.current(), clock.instant());
        }
        switch (verdict) {
            case VALID -> {
            }
            case MALFORMED -> throw unauthorized(CallbackSignature.HEADER
                    + ": required, t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.\" + body>");
            case STALE -> throw unauthorized(CallbackSignature.HEADER + ": t is more than "
                    + CallbackSignature.TOLERANCE.getSeconds() + " s away from now");
            case MISMATCH -> throw unauthorized(CallbackSignature.HEADER + ": the signature does not match the body");
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.unauthorized(detail));
    }
}
