package dev.ioserverless.inbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.messages.MessageStore;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/messages/{id}} on the citizen API (IO's {@code getUserMessage}): the message
 * with its content (payment data with the payee, due date) and the enrichment of the list, as
 * IO's {@code CreatedMessageWithContentAndEnrichedData}, whatever {@code public_message} says (the
 * enriched shape satisfies both of IO's variants). Another citizen's message, or one that is not
 * PROCESSED, is a 404 exactly like one that does not exist.
 *
 * <p>{@code GET /api/v2/messages/{id}} answers the same with the state of its payment notice
 * ({@link InboxViews#messageWithPayment}): paid or not, expired, and the receipt.
 */
public final class GetUserMessageHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final MessageStore messages;
    private final Senders senders;
    private final java.time.Clock clock;
    private Priming priming = Priming.none();

    public GetUserMessageHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserMessageHandler(Config config) {
        this(config, new Log("GetUserMessage", config));
    }

    private GetUserMessageHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), DynamoMessageStore.fromConfig(config),
                new DynamoSenders(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE")), config.clock());
        String id = Priming.ABSENT_MESSAGE_ID;
        priming = new Priming(log, List.of(
                Priming.json(GetUserMessagesHandler.PRIMING_PAGE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // This function only reads: a message that does not exist.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "GET /api/v1/messages/{id}",
                        "/api/v1/messages/" + id, Map.of("id", id), Map.of(), null), null), 404)))
                .register();
    }

    public GetUserMessageHandler(CitizenApi api, MessageStore messages, Senders senders, java.time.Clock clock) {
        this.api = api;
        this.messages = messages;
        this.senders = senders;
        this.clock = clock;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetUserMessage", (citizen, request) -> {
            String id = InboxRequests.messageId(request);
            InboxRequests.queryBoolean(request, "public_message");   // checked; both answers are the enriched shape
            Message message = messages.find(id)
                    .filter(m -> m.fiscalCode().equals(citizen.fiscalCode()) && m.status() == MessageStatus.PROCESSED)
                    .orElseThrow(() -> new ProblemException(Problem.notFound("id: no such message")));
            Senders.Sender sender = senders.find(List.of(message.senderServiceId()))
                    .getOrDefault(message.senderServiceId(), Senders.Sender.unknown(message.senderServiceId()));
            boolean ours = request.getRawPath() != null && request.getRawPath().startsWith("/api/v2/");
            return ApiResponse.json(200, ours ? InboxViews.messageWithPayment(message, sender, clock.instant())
                    : InboxViews.message(message, sender));
        });
    }
}
