package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceAuthenticator;
import dev.ioserverless.services.ServiceStore;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /api/v1/messages/{fiscal_code}}: a service submits a message (IO's
 * {@code submitMessageforUser}). Answers 201 {@code {"id": "<ULID>"}} with a {@code Location}.
 *
 * <p>Order of checks: the API key (401), the source address and the service's send permission
 * (403), the body and its fields (415, 413, 400), then what the content needs (403 for a
 * limited service's recipient, ADVANCED, a payee; 400 above the payment cap). Nothing is written
 * for a rejected request. If the message is stored but cannot be queued it is marked FAILED and
 * the answer is 503.
 */
public final class SubmitMessageHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ServiceAuthenticator authenticator;
    private final MessageSubmission submission;
    private final Log log;

    public SubmitMessageHandler() {
        this(Config.fromEnvironment());
    }

    public SubmitMessageHandler(Config config) {
        this(new DynamoServiceStore(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE"),
                        config.require("API_KEYS_TABLE")),
                new DynamoMessageStore(AwsClients.dynamoDb(config), config.require("MESSAGES_TABLE")),
                new SqsMessageCreatedQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                Clock.systemUTC(),
                new Log("SubmitMessage", config));
    }

    public SubmitMessageHandler(
            ServiceStore services, MessageStore messages, MessageCreatedQueue queue, Clock clock, Log log) {
        this.authenticator = new ServiceAuthenticator(services);
        this.submission = new MessageSubmission(messages, queue, clock);
        this.log = log;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Service service = null;
        try {
            service = authenticator.authenticate(
                    Http.header(event, ServiceAuthenticator.API_KEY_HEADER), Http.sourceIp(event));
            MessageSubmission.requireSendPermission(service);
            JsonNode body = Http.jsonObjectBody(event);
            NewMessage request = NewMessage.parse(body, Http.pathParameter(event, "fiscal_code"));
            Message message = submission.submit(service, request);
            log.info("message_accepted",
                    "message_id", message.id(),
                    "service_id", service.serviceId(),
                    "fiscal_code_ref", log.fiscalCodeRef(message.fiscalCode()),
                    "feature_level_type", message.featureLevelType().name(),
                    "has_payment_data", message.content().paymentData() != null,
                    "has_due_date", message.content().dueDate() != null);
            log.metric("MessagesAccepted", 1, "Count");
            String location = "/api/v1/messages/" + message.fiscalCode() + "/" + message.id();
            return Http.json(201, Map.of("id", message.id()), Map.of("Location", location));
        } catch (ProblemException e) {
            log.info("request_rejected",
                    "status", e.problem().status(),
                    "detail", e.problem().detail(),
                    "service_id", service == null ? null : service.serviceId());
            return Http.problem(e.problem());
        } catch (MessageSubmission.NotQueuedException e) {
            log.error("message_not_queued",
                    "message_id", e.message().id(),
                    "service_id", e.message().senderServiceId(),
                    "marked_failed", e.markedFailed(),
                    "error", Failures.describe(e.getCause()));
            return Http.problem(Problem.of(503, "Service unavailable", "message " + e.message().id()
                    + " could not be queued for delivery and was "
                    + (e.markedFailed() ? "marked FAILED" : "not delivered") + "; submit it again"));
        } catch (RuntimeException e) {
            log.error("request_failed",
                    "service_id", service == null ? null : service.serviceId(),
                    "error", Failures.describe(e));
            return Http.problem(Problem.of(500, "Internal error", "request: could not be completed; retry later"));
        }
    }
}
