package dev.ioserverless.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart priming. Lambda snapshots a function once its init is done and restores the snapshot
 * on every cold start; the hook registered here ({@link #beforeCheckpoint}) runs just before the
 * snapshot, so that it already holds loaded classes, a warm Jackson, the SDK's marshalling and
 * signing paths and open connections.
 *
 * <p>Every step only reads, and nothing anywhere is written (no put, update, delete, send or
 * publish, not even a conditional one):
 * <ul>
 *   <li>a JSON round trip of a document of the function's own shape ({@link #json});
 *   <li>one read per SDK client: a DynamoDB GetItem of a key that cannot exist, SQS
 *       GetQueueAttributes, SNS GetTopicAttributes or GetEndpointAttributes of an endpoint that
 *       cannot exist;
 *   <li>the handler's own path, with a request it answers without writing: one it rejects before
 *       any write (no API key, an invalid body, a malformed queue record), or, for a function that
 *       only reads, a read of data that belongs to nobody ({@link #http}, {@link #sqsBatch}).
 * </ul>
 *
 * A failing step is one warning line naming the step and the kind of failure (never a message,
 * which could quote data), and the other steps still run: priming never breaks init. The hook does
 * nothing after a restore; nothing it leaves behind depends on time. On a JVM without CRaC the
 * hook is never called, so registering is harmless; {@link #run} runs the same steps for tests.
 */
public final class Priming implements Resource {
    /**
     * A fiscal code that matches {@link FiscalCode#PATTERN} but belongs to nobody: day 00 is no
     * birth date. The citizen API's priming requests are made in its name.
     */
    public static final String NOBODY = "PRMPRM00A00Z000Z";
    /**
     * The key value that priming reads: not a ULID, not a fiscal code, not a SHA-256 hex, so no
     * item the functions write has it.
     */
    public static final String ABSENT = "priming";
    /** A message id that matches {@link Ulid#PATTERN} and that no message has: its time is 1970. */
    public static final String ABSENT_MESSAGE_ID = "00000000000000000000000000";

    private static final Priming NONE = new Priming(null, List.of());

    private final Log log;
    private final List<Step> steps;
    private final AtomicBoolean registered = new AtomicBoolean();

    /** A handler that warms up before a snapshot: {@link #prime} runs exactly what its hook runs. */
    public interface Primed {
        Report prime();
    }

    /** One priming step; {@code action} throws when it did not go as intended. */
    public record Step(String name, Runnable action) {
    }

    /** The names of the steps that went as intended and of those that failed, in order. */
    public record Report(List<String> succeeded, List<String> failed) {
    }

    public Priming(Log log, List<Step> steps) {
        this.log = log;
        this.steps = List.copyOf(steps);
    }

    /** No steps: what a handler built from its collaborators (in tests) primes. */
    public static Priming none() {
        return NONE;
    }

    /**
     * Registers the hook with CRaC's global context, once however often it is called. The context
     * holds it weakly: keep this object referenced from the handler.
     */
    public Priming register() {
        return register(Core.getGlobalContext());
    }

    Priming register(Context<Resource> context) {
        if (!steps.isEmpty() && registered.compareAndSet(false, true)) {
            context.register(this);
        }
        return this;
    }

    /** Runs every step in order, swallowing and logging each failure. */
    public Report run() {
        List<String> succeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        for (Step step : steps) {
            try {
                step.action().run();
                succeeded.add(step.name());
            } catch (RuntimeException | LinkageError e) {
                failed.add(step.name());
                log.warn("priming_step_failed", "step", step.name(), "error", describe(e),
                        "error_code", e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                                ? aws.awsErrorDetails().errorCode() : null);
            }
        }
        if (!steps.isEmpty()) {
            log.info("primed", "steps", steps.size(), "failed", failed.size(),
                    "duration_ms", (System.nanoTime() - start) / 1_000_000);
        }
        return new Report(List.copyOf(succeeded), List.copyOf(failed));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to undo: priming caches nothing and holds no data of anyone.
    }

    /** The failure's kind; the text only of our own expectation failures, which quote no data. */
    private static String describe(Throwable e) {
        return e instanceof Unexpected ? e.getMessage() : e.getClass().getName();
    }

    // ---------------------------------------------------------------- steps

    /** Parses {@code document} with the shared mapper and writes it back. */
    public static Step json(String document) {
        return new Step("json", () -> {
            try {
                JsonNode tree = Json.MAPPER.readTree(document);
                if (!Json.MAPPER.readTree(Json.write(tree)).equals(tree)) {
                    throw new Unexpected("the document did not survive a round trip");
                }
            } catch (IOException e) {
                throw new Unexpected("the document is not JSON");
            }
        });
    }

    /** GetItem of the item whose key attributes (all strings) are {@link #ABSENT}: finds nothing. */
    public static Step dynamoDb(DynamoDbClient dynamo, String table, String... keyAttributes) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String attribute : keyAttributes) {
            key.put(attribute, AttributeValue.fromS(ABSENT));
        }
        return new Step("dynamodb", () -> {
            if (dynamo.getItem(b -> b.tableName(table).key(key)).hasItem()) {
                throw new Unexpected("the absent item exists");
            }
        });
    }

    /** GetQueueAttributes of the queue's ARN. */
    public static Step sqsQueue(SqsClient sqs, String queueUrl) {
        return new Step("sqs", () -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)));
    }

    /** GetTopicAttributes of the topic. */
    public static Step snsTopic(SnsClient sns, String topicArn) {
        return new Step("sns", () -> sns.getTopicAttributes(b -> b.topicArn(topicArn)));
    }

    /**
     * GetEndpointAttributes of an endpoint of the platform application that cannot exist (its id
     * is the nil UUID, which SNS never assigns): NotFound is the answer intended.
     */
    public static Step snsEndpoint(SnsClient sns, String applicationArn) {
        String endpointArn = applicationArn.replace(":app/", ":endpoint/") + "/00000000-0000-0000-0000-000000000000";
        return new Step("sns", () -> {
            try {
                sns.getEndpointAttributes(b -> b.endpointArn(endpointArn));
                throw new Unexpected("the absent endpoint exists");
            } catch (NotFoundException expected) {
                // the round trip is done
            }
        });
    }

    /** The handler's own path: {@code call} must answer {@code expectedStatus}. */
    public static Step http(Supplier<APIGatewayV2HTTPResponse> call, int expectedStatus) {
        return new Step("handler", () -> {
            int status = call.get().getStatusCode();
            if (status != expectedStatus) {
                throw new Unexpected("the handler answered " + status + ", not " + expectedStatus);
            }
        });
    }

    /** The handler's own path for a queue: {@code call} must report {@code expectedFailures} batch item failures. */
    public static Step sqsBatch(Supplier<SQSBatchResponse> call, int expectedFailures) {
        return new Step("handler", () -> {
            SQSBatchResponse response = call.get();
            int failures = response.getBatchItemFailures() == null ? 0 : response.getBatchItemFailures().size();
            if (failures != expectedFailures) {
                throw new Unexpected("the handler reported " + failures + " failures, not " + expectedFailures);
            }
        });
    }

    // ---------------------------------------------------------------- events

    /**
     * An HTTP API request from the local host, without any API key or token.
     *
     * @param routeKey such as {@code "GET /api/v1/messages/{id}"}
     * @param body a JSON body (sent as {@code application/json}), or null
     */
    public static APIGatewayV2HTTPEvent request(String routeKey, String path, Map<String, String> pathParameters,
                                                Map<String, String> query, String body) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"))
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withSourceIp("127.0.0.1").build())
                        .build())
                .build();
    }

    /** {@link #request} as the citizen API's JWT authorizer passes it on, signed in as {@link #NOBODY}. */
    public static APIGatewayV2HTTPEvent citizenRequest(String fiscalCodeClaim, String routeKey, String path,
                                                       Map<String, String> pathParameters, Map<String, String> query,
                                                       String body) {
        APIGatewayV2HTTPEvent event = request(routeKey, path, pathParameters, query, body);
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of(fiscalCodeClaim, NOBODY, "name", "Priming", "family_name", "Priming"))
                        .build())
                .build());
        return event;
    }

    /** A batch of no records, for a consumer whose every record leads to a write. */
    public static SQSEvent emptySqsBatch() {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of());
        return event;
    }

    /** A batch of one SQS record with this body. */
    public static SQSEvent sqsRecord(String body) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId("priming");
        record.setBody(body);
        record.setEventSource("aws:sqs");
        record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** A step that did not go as intended; its message is a fixed text that quotes no data. */
    private static final class Unexpected extends RuntimeException {
        Unexpected(String message) {
            super(message);
        }
    }
}
