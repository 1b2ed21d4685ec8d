package dev.ioserverless.inbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /api/v1/messages/{id}/message-status} on the citizen API (IO's
 * {@code upsertMessageStatusAttributes}): reads and archives the citizen's own PROCESSED message
 * ({@link MessageStatusChange}) and answers IO's {@code MessageStatusAttributes}. The first read
 * records {@code read_at}, which the sender of an ADVANCED message sees as {@code read_status:
 * READ} when the citizen shares it.
 */
public final class UpsertMessageStatusHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final InboxStore inbox;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public UpsertMessageStatusHandler() {
        this(Config.fromEnvironment());
    }

    public UpsertMessageStatusHandler(Config config) {
        this(config, new Log("UpsertMessageStatus", config));
    }

    private UpsertMessageStatusHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new DynamoInboxStore(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                config.clock(), log);
        String id = Priming.ABSENT_MESSAGE_ID;
        priming = new Priming(log, List.of(
                Priming.json("{\"change_type\":\"bulk\",\"is_read\":true,\"is_archived\":false}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // An unknown change_type: MessageStatusChange.parse answers 400 before the update is tried.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(),
                        "PUT /api/v1/messages/{id}/message-status", "/api/v1/messages/" + id + "/message-status",
                        Map.of("id", id), Map.of(), "{\"change_type\":\"" + Priming.ABSENT + "\"}"), null), 400)))
                .register();
    }

    public UpsertMessageStatusHandler(CitizenApi api, InboxStore inbox, Clock clock, Log log) {
        this.api = api;
        this.inbox = inbox;
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
        return api.handle(event, "UpsertMessageStatus", (citizen, request) -> {
            String id = InboxRequests.messageId(request);
            MessageStatusChange change = MessageStatusChange.parse(Http.jsonObjectBody(request));
            InboxStore.StatusAttributes after = inbox.change(citizen.fiscalCode(), id, change, clock.instant())
                    .orElseThrow(() -> new ProblemException(Problem.notFound("id: no such message")));
            log.info("message_status_changed", "message_id", id, "is_read", after.isRead(),
                    "is_archived", after.isArchived());
            return ApiResponse.json(200, InboxViews.statusAttributes(after));
        });
    }
}
