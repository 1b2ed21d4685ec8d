package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/messages/batch}: a service submits up to {@value MessageBatch#MAX_ITEMS}
 * messages at once, {@code {"messages": [NewMessage with fiscal_code, ...]}}. Answers 200
 * {@code {"results": [{"index", "status", "id"?, "problem"?}, ...]}}, one result per item in
 * order:
 *
 * <ul>
 *   <li>201 with {@code id}: stored, and queued (or left to the sweeper of pending messages when
 *       the queue did not take it), exactly as a single submission.
 *   <li>4xx with {@code problem}: the item was judged on its own and rejected (400 invalid, 403
 *       recipient not authorized for a limited service, ADVANCED or payee without their group,
 *       400 above the payment cap); nothing was written for it.
 *   <li>503 with {@code problem}: the item could not be stored. Send the same request again with
 *       the same Idempotency-Key: an answer with such an item is not kept for replay, and the
 *       retry creates each message under the id reserved for its index, so what the first attempt
 *       did store is not created twice.
 * </ul>
 *
 * <p>The whole request is rejected, with nothing written, when the {@link ServicesApi} pipeline
 * rejects it (401, 403, 429; a batch counts one request per item against the rate limit), when the
 * body is not a JSON object (415, 413, 400), when {@code messages} is missing, not an array or
 * empty (400), or holds more than {@value MessageBatch#MAX_ITEMS} items (413). Accepted items
 * are queued with SendMessageBatch, ten per call.
 */
public final class SubmitMessageBatchHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final ServicesApi api;
    private final MessageSubmission submission;
    private final Clock clock;
    private final Log log;
    private final ApiOperation operation = new Operation();
    private Priming priming = Priming.none();

    public SubmitMessageBatchHandler() {
        this(Config.fromEnvironment());
    }

    public SubmitMessageBatchHandler(Config config) {
        this(config, new Log("SubmitMessageBatch", config));
    }

    private SubmitMessageBatchHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, true),
                DynamoMessageStore.forSubmission(config),
                new SqsMessageCreatedQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                config.clock(),
                log);
        String batch = "{\"messages\":[" + SubmitMessageHandler.PRIMING_MESSAGE + "]}";
        priming = new Priming(log, List.of(
                Priming.json(batch),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                Priming.sqsQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                // Without an API key the pipeline answers 401 before it reads or writes anything.
                Priming.http(() -> handleRequest(Priming.request("POST /api/v1/messages/batch",
                        "/api/v1/messages/batch", Map.of(), Map.of(), batch), null), 401)))
                .register();
        submission.withThirdPartyContent(dev.ioserverless.documents.Documents.remoteContentChecks(config));
    }

    public SubmitMessageBatchHandler(
            ServicesApi api, MessageStore messages, MessageCreatedQueue queue, Clock clock, Log log) {
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
            return "SubmitMessageBatch";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiLimitedMessageWrite);
        }

        @Override
        public int cost(ApiRequest request) {
            return MessageBatch.cost(request.jsonBodyIfValid());
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        /**
         * An answer with an item that could not be stored is not kept: it is stored as the 503 it
         * amounts to, which frees the key, so the retry runs again (under the same reserved ids).
         */
        @Override
        public ApiResponse toStore(ApiResponse response) {
            if (response.status() == 200 && response.body() != null
                    && dev.ioserverless.common.Json.read(response.body()).path("results").findValues("status").stream()
                            .anyMatch(status -> status.asInt() == 503)) {
                return new ApiResponse(503, response.headers(), response.body());
            }
            return response;
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            List<JsonNode> items = MessageBatch.items(request.jsonBody());
            Service service = request.service();
            ObjectNode[] results = new ObjectNode[items.size()];
            List<NewMessage> accepted = new ArrayList<>();
            List<Integer> acceptedIndexes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    NewMessage newMessage = judge(service, items.get(i));
                    accepted.add(newMessage);
                    acceptedIndexes.add(i);
                } catch (ProblemException e) {
                    results[i] = result(i, e.problem().status(), null, e.problem());
                }
            }
            int created = 0;
            int unavailable = 0;
            List<MessageSubmission.Outcome> outcomes = accepted.isEmpty() ? List.of()
                    : submission.submitAll(service, accepted, idsOf(request, items.size(), acceptedIndexes));
            for (int k = 0; k < outcomes.size(); k++) {
                MessageSubmission.Outcome outcome = outcomes.get(k);
                int index = acceptedIndexes.get(k);
                Message message = outcome.message();
                switch (outcome.result()) {
                    case QUEUED, DEFERRED -> {
                        created++;
                        if (outcome.result() == MessageSubmission.Outcome.Result.DEFERRED) {
                            SubmitMessageHandler.logDeferred(log, message, outcome.failure());
                        }
                        SubmitMessageHandler.logAccepted(log, message);
                        results[index] = result(index, 201, message.id(), null);
                    }
                    case NOT_STORED -> {
                        unavailable++;
                        log.error("message_not_stored", "service_id", service.serviceId(), "batch_index", index,
                                "error", outcome.failure());
                        results[index] = result(index, 503, null, Problem.of(503, "Service unavailable",
                                "message: could not be stored; send the request again with the same Idempotency-Key"));
                    }
                }
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (ObjectNode result : results) {
                list.add(result);
            }
            log.info("batch_submitted", "service_id", service.serviceId(), "items", items.size(),
                    "created", created, "rejected", items.size() - accepted.size(), "unavailable", unavailable);
            ObjectNode body = Json.object();
            body.set("results", list);
            return ApiResponse.json(200, body);
        }
    }

    /**
     * The ids of the accepted items: one per index of the batch, reserved under the request's
     * Idempotency-Key (so the same index of the same batch gets the same id on a retry), the
     * accepted ones picked out.
     */
    private List<String> idsOf(ApiRequest request, int size, List<Integer> acceptedIndexes) {
        java.time.Instant now = clock.instant();
        List<String> fresh = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            fresh.add(MessageSubmission.newId(now));
        }
        List<String> reserved = request.reserveIds(fresh);
        List<String> ids = new ArrayList<>(acceptedIndexes.size());
        for (int index : acceptedIndexes) {
            ids.add(reserved.get(index));
        }
        return ids;
    }

    /**
     * Validates one item and checks what it needs from the service, its remote-content
     * configuration included; a 4xx problem otherwise. Hosted documents are for single
     * submissions: each is checked and moved at submission, one message at a time.
     */
    private NewMessage judge(Service service, JsonNode item) {
        if (item == null || !item.isObject()) {
            throw new ProblemException(Problem.badRequest("message: must be a JSON object"));
        }
        NewMessage newMessage = NewMessage.parse(item, null);
        MessageSubmission.authorize(service, newMessage);
        if (!newMessage.content().documents().isEmpty()) {
            throw new ProblemException(Problem.badRequest(
                    "content.documents: not accepted in a batch; submit a message with documents with POST /api/v1/messages"));
        }
        MessageContent checked = submission.thirdParty().check(service, newMessage.content());
        return new NewMessage(newMessage.fiscalCode(), newMessage.timeToLive(), newMessage.featureLevelType(), checked);
    }

    private static ObjectNode result(int index, int status, String id, Problem problem) {
        ObjectNode node = Json.object();
        node.put("index", index);
        node.put("status", status);
        if (id != null) {
            node.put("id", id);
        }
        if (problem != null) {
            node.set("problem", Json.MAPPER.valueToTree(problem));
        }
        return node;
    }
}
