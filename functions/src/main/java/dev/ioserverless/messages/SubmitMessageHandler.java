package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/messages/{fiscal_code}} and {@code POST /api/v1/messages}: a service submits
 * a message (IO's {@code submitMessageforUser} and {@code submitMessageforUserWithFiscalCodeInBody}).
 * The recipient is in the path or in the body's {@code fiscal_code}, exactly one of the two (400
 * otherwise). Answers 201 {@code {"id": "<ULID>"}} (IO's {@code CreatedMessage}) with
 * {@code Location: /api/v1/messages/<fiscal_code>/<id>}.
 *
 * <p>Order of checks: the {@link ServicesApi} pipeline (key 401, rate limit 429, source address
 * 403, group ApiMessageWrite or ApiLimitedMessageWrite 403, Idempotency-Key 400/409/422 or
 * replay), then the body and its fields (415, 413, 400), then what the content needs (403 for a
 * limited service's recipient, ADVANCED, a payee; 400 above the payment cap). Nothing is written
 * for a rejected request. Once the message is stored it is accepted (201) even if the queue does
 * not take it: the sweeper of pending messages queues it. A request with an Idempotency-Key
 * creates its message under the id reserved for that key, so a retry after a lost answer (a 503
 * from a failed write, a timeout) creates the same message, never a second one.
 */
public final class SubmitMessageHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A new message of the shape IO's clients send, for priming. */
    static final String PRIMING_MESSAGE = "{\"fiscal_code\":\"" + Priming.NOBODY + "\",\"time_to_live\":3600,"
            + "\"feature_level_type\":\"STANDARD\",\"content\":{\"subject\":\"Priming the function\","
            + "\"markdown\":\"A representative message body, parsed and written back before the snapshot.\","
            + "\"due_date\":\"2030-01-01T00:00:00.000Z\",\"payment_data\":{\"amount\":100,"
            + "\"notice_number\":\"000000000000000000\",\"invalid_after_due_date\":false}}}";
    private final ServicesApi api;
    private final MessageSubmission submission;
    private final Log log;
    private final ApiOperation operation = new Operation();
    private final Clock clock;
    private Priming priming = Priming.none();

    public SubmitMessageHandler() {
        this(Config.fromEnvironment());
    }

    public SubmitMessageHandler(Config config) {
        this(config, new Log("SubmitMessage", config));
    }

    private SubmitMessageHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, true),
                DynamoMessageStore.forSubmission(config),
                new SqsMessageCreatedQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                config.clock(),
                log);
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_MESSAGE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                Priming.sqsQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                // Without an API key the pipeline answers 401 before it reads or writes anything.
                Priming.http(() -> handleRequest(Priming.request("POST /api/v1/messages/{fiscal_code}",
                        "/api/v1/messages/" + Priming.NOBODY, Map.of("fiscal_code", Priming.NOBODY), Map.of(),
                        PRIMING_MESSAGE), null), 401)))
                .register();
        submission.withCrashPoints(dev.ioserverless.common.CrashPoints.fromConfig(config))
                .withThirdPartyContent(dev.ioserverless.documents.Documents.submissionChecks(config));
    }

    public SubmitMessageHandler(ServicesApi api, MessageStore messages, MessageCreatedQueue queue, Clock clock, Log log) {
        this.api = api;
        this.submission = new MessageSubmission(messages, queue, clock);
        this.clock = clock;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, operation, context);
    }

    private final class Operation implements ApiOperation {
        @Override
        public String name() {
            return "SubmitMessage";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiLimitedMessageWrite);
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        /**
         * The Location names the recipient: the record keeps the answer without it, and a replay
         * (the same request, so the same recipient) gets it back.
         */
        @Override
        public ApiResponse toStore(ApiResponse response) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(response.headers());
            headers.remove("Location");
            return new ApiResponse(response.status(), headers, response.body());
        }

        @Override
        public ApiResponse fromStore(ApiResponse stored, ApiRequest request) {
            if (stored.status() != 201) {
                return stored;
            }
            String id = dev.ioserverless.common.Json.read(stored.body()).path("id").asText();
            String fiscalCode = NewMessage.parse(request.jsonBody(), request.pathParameter("fiscal_code")).fiscalCode();
            return stored.withHeaders(Map.of("Location", "/api/v1/messages/" + fiscalCode + "/" + id));
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            NewMessage newMessage = NewMessage.parse(request.jsonBody(), request.pathParameter("fiscal_code"));
            MessageSubmission.authorize(request.service(), newMessage);
            String id = request.reserveIds(List.of(MessageSubmission.newId(clock.instant()))).get(0);
            MessageSubmission.Accepted accepted = submission.submit(request.service(), newMessage, id);
            Message message = accepted.message();
            request.logField("message_id", message.id());
            if (accepted.deferred()) {
                logDeferred(log, message, accepted.queueFailure());
            }
            logAccepted(log, message);
            return ApiResponse.json(201, Map.of("id", message.id()), Map.of("Location", location(message)));
        }
    }

    static String location(Message message) {
        return "/api/v1/messages/" + message.fiscalCode() + "/" + message.id();
    }

    /** The message is stored, and the queue did not take its notice: the sweeper of pending messages will. */
    static void logDeferred(Log log, Message message, String queueFailure) {
        log.warn("message_queue_deferred",
                "message_id", message.id(),
                "service_id", message.senderServiceId(),
                "error", queueFailure,
                "outcome", "accepted; the pending-messages sweeper queues it");
        log.metric("MessagesQueueDeferred", 1, "Count");
    }

    static void logAccepted(Log log, Message message) {
        log.info("message_accepted",
                "message_id", message.id(),
                "service_id", message.senderServiceId(),
                "fiscal_code_ref", log.fiscalCodeRef(message.fiscalCode()),
                "feature_level_type", message.featureLevelType().name(),
                "has_payment_data", message.content().paymentData() != null,
                "has_due_date", message.content().dueDate() != null);
        log.metric("MessagesAccepted", 1, "Count");
    }
}
