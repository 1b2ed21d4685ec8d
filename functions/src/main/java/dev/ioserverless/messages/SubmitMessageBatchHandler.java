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
 *   <li>201 with {@code id}: stored and queued, exactly as a single submission.
 *   <li>4xx with {@code problem}: the item was judged on its own and rejected (400 invalid, 403
 *       recipient not authorized for a limited service, ADVANCED or payee without their group,
 *       400 above the payment cap); nothing was written for it.
 *   <li>503 with {@code id} and {@code problem}: stored but not queued, marked FAILED; or (no
 *       {@code id}) not stored at all. Submit it again.
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
                DynamoMessageStore.fromConfig(config),
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
    }

    public SubmitMessageBatchHandler(
            ServicesApi api, MessageStore messages, MessageCreatedQueue queue, Clock clock, Log log) {
        this.api = api;
        this.submission = new MessageSubmission(messages, queue, clock);
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, operation);
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
                    : submission.submitAll(service, accepted);
            for (int k = 0; k < outcomes.size(); k++) {
                MessageSubmission.Outcome outcome = outcomes.get(k);
                int index = acceptedIndexes.get(k);
                Message message = outcome.message();
                switch (outcome.result()) {
                    case QUEUED -> {
                        created++;
                        SubmitMessageHandler.logAccepted(log, message);
                        results[index] = result(index, 201, message.id(), null);
                    }
                    case NOT_STORED -> {
                        unavailable++;
                        log.error("message_not_stored", "service_id", service.serviceId(), "batch_index", index,
                                "error", outcome.failure());
                        results[index] = result(index, 503, null, Problem.of(503, "Service unavailable",
                                "message: could not be stored; submit it again"));
                    }
                    default -> {
                        unavailable++;
                        boolean markedFailed = outcome.result() == MessageSubmission.Outcome.Result.NOT_QUEUED_MARKED_FAILED;
                        log.error("message_not_queued", "message_id", message.id(), "service_id", service.serviceId(),
                                "batch_index", index, "marked_failed", markedFailed, "error", outcome.failure());
                        results[index] = result(index, 503, message.id(),
                                SubmitMessageHandler.notQueued(message.id(), markedFailed));
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

    /** Validates one item and checks what it needs from the service; a 4xx problem otherwise. */
    private static NewMessage judge(Service service, JsonNode item) {
        if (item == null || !item.isObject()) {
            throw new ProblemException(Problem.badRequest("message: must be a JSON object"));
        }
        NewMessage newMessage = NewMessage.parse(item, null);
        MessageSubmission.authorize(service, newMessage);
        return newMessage;
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
