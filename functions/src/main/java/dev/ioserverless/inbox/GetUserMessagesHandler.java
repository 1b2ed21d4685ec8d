package dev.ioserverless.inbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/messages} on the citizen API (IO's {@code getUserMessages}): the signed-in
 * citizen's PROCESSED messages, newest first, as IO's {@code PaginatedPublicMessagesCollection}.
 * Query: {@code page_size} (1 to 100, default 100), {@code enrich_result_data} (add the sender's
 * names, the title, category, read and archive state), {@code archived} (the archive instead of
 * the inbox), {@code maximum_id} and {@code minimum_id} (exclusive bounds; {@code next} and
 * {@code prev} of a page are the values to pass for the older and the newer messages).
 */
public final class GetUserMessagesHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A page of the shape of IO's {@code PaginatedPublicMessagesCollection}, for priming. */
    static final String PRIMING_PAGE = "{\"items\":[{\"id\":\"" + Priming.ABSENT_MESSAGE_ID + "\",\"fiscal_code\":\""
            + Priming.NOBODY + "\",\"created_at\":\"2030-01-01T00:00:00.000Z\",\"sender_service_id\":\"priming\","
            + "\"time_to_live\":3600,\"message_title\":\"Priming the function\",\"category\":{\"tag\":\"GENERIC\"},"
            + "\"is_read\":false,\"is_archived\":false,\"has_attachments\":false}],\"next\":\""
            + Priming.ABSENT_MESSAGE_ID + "\"}";
    private final CitizenApi api;
    private final InboxStore inbox;
    private final Senders senders;
    private Priming priming = Priming.none();

    public GetUserMessagesHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserMessagesHandler(Config config) {
        this(config, new Log("GetUserMessages", config));
    }

    private GetUserMessagesHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new DynamoInboxStore(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                new DynamoSenders(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE")));
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_PAGE),
                // This function only reads: the empty inbox of a citizen who does not exist. It may only
                // Query the inbox index, so this Query is also its DynamoDB read.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "GET /api/v1/messages",
                        "/api/v1/messages", Map.of(), Map.of("page_size", "1", "enrich_result_data", "true"), null),
                        null), 200)))
                .register();
    }

    public GetUserMessagesHandler(CitizenApi api, InboxStore inbox, Senders senders) {
        this.api = api;
        this.inbox = inbox;
        this.senders = senders;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetUserMessages", (citizen, request) -> {
            int pageSize = InboxRequests.pageSize(request);
            boolean enrich = InboxRequests.queryBoolean(request, "enrich_result_data");
            boolean archived = InboxRequests.queryBoolean(request, "archived");
            String maximumId = InboxRequests.queryUlid(request, "maximum_id");
            String minimumId = InboxRequests.queryUlid(request, "minimum_id");
            InboxPage page = inbox.page(citizen.fiscalCode(), archived, maximumId, minimumId, pageSize);
            Map<String, Senders.Sender> names = enrich
                    ? senders.find(page.items().stream().map(InboxEntry::senderServiceId).toList()) : Map.of();
            ObjectNode body = Json.object();
            ArrayNode items = body.putArray("items");
            for (InboxEntry entry : page.items()) {
                items.add(InboxViews.listItem(entry, enrich
                        ? names.getOrDefault(entry.senderServiceId(), Senders.Sender.unknown(entry.senderServiceId()))
                        : null));
            }
            if (page.next() != null) {
                body.put("next", page.next());
            }
            if (page.prev() != null) {
                body.put("prev", page.prev());
            }
            return ApiResponse.json(200, body);
        });
    }
}
