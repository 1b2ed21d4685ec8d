package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceAuthenticator;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServiceStore;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/messages/{fiscal_code}/{id}}: the sending service reads a message and its
 * status (IO's {@code getMessage}). Answers 200 with
 * {@code {"message": {id, fiscal_code, created_at, sender_service_id, time_to_live,
 * feature_level_type, content}, "status": "ACCEPTED|PROCESSED|REJECTED|FAILED"}}.
 *
 * <p>{@code GET /api/v2/messages/{fiscal_code}/{id}} answers the processing detail instead
 * (status, rejection reason, status time), see {@link #detail}.
 *
 * <p>Needs group ApiMessageRead (403). A message of another service, or under another fiscal
 * code, is a 404 exactly like a missing one.
 */
public final class GetMessageHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ServiceAuthenticator authenticator;
    private final MessageStore messages;
    private final Log log;

    public GetMessageHandler() {
        this(Config.fromEnvironment());
    }

    public GetMessageHandler(Config config) {
        this(new DynamoServiceStore(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE"),
                        config.require("API_KEYS_TABLE")),
                new DynamoMessageStore(AwsClients.dynamoDb(config), config.require("MESSAGES_TABLE")),
                new Log("GetMessage", config));
    }

    public GetMessageHandler(ServiceStore services, MessageStore messages, Log log) {
        this.authenticator = new ServiceAuthenticator(services);
        this.messages = messages;
        this.log = log;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Service service = null;
        String id = Http.pathParameter(event, "id");
        try {
            service = authenticator.authenticate(
                    Http.header(event, ServiceAuthenticator.API_KEY_HEADER), Http.sourceIp(event));
            ServiceAuthenticator.requireAnyGroup(service, ServiceGroup.ApiMessageRead);
            String fiscalCode = Http.pathParameter(event, "fiscal_code");
            List<String> errors = new ArrayList<>();
            if (!FiscalCode.isValid(fiscalCode)) {
                errors.add("fiscal_code: must be a valid fiscal code matching " + FiscalCode.PATTERN);
            }
            if (!Ulid.isValid(id)) {
                errors.add("id: must be a message id, a ULID of 26 characters matching " + Ulid.PATTERN);
            }
            if (!errors.isEmpty()) {
                throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
            }
            String serviceId = service.serviceId();
            Message message = messages.find(id)
                    .filter(found -> found.isVisibleTo(serviceId, fiscalCode))
                    .orElseThrow(() -> new ProblemException(Problem.notFound(
                            "id: no message with this id for this fiscal code")));
            log.info("message_read", "message_id", message.id(), "service_id", serviceId,
                    "status", message.status().name());
            return Http.json(200, isDetailView(event) ? detail(message) : response(message));
        } catch (ProblemException e) {
            log.info("request_rejected",
                    "status", e.problem().status(),
                    "detail", e.problem().detail(),
                    "message_id", Ulid.isValid(id) ? id : null,
                    "service_id", service == null ? null : service.serviceId());
            return Http.problem(e.problem());
        } catch (RuntimeException e) {
            log.error("request_failed",
                    "message_id", Ulid.isValid(id) ? id : null,
                    "service_id", service == null ? null : service.serviceId(),
                    "error", Failures.describe(e));
            return Http.problem(Problem.of(500, "Internal error", "request: could not be completed; retry later"));
        }
    }

    private static boolean isDetailView(APIGatewayV2HTTPEvent event) {
        String path = event.getRawPath();
        return path != null && path.startsWith("/api/v2/");
    }

    /**
     * {@code GET /api/v2/messages/{fiscal_code}/{id}}: the processing detail a v1 body may not
     * carry (IO's schemas forbid extra properties): why a message was rejected and when its
     * status last changed. No content.
     */
    static ObjectNode detail(Message message) {
        ObjectNode body = Json.object();
        body.put("id", message.id());
        body.put("fiscal_code", message.fiscalCode());
        body.put("sender_service_id", message.senderServiceId());
        body.put("created_at", Timestamps.format(message.createdAt()));
        body.put("time_to_live", message.timeToLive());
        body.put("feature_level_type", message.featureLevelType().name());
        body.put("status", message.status().name());
        if (message.rejectionReason() != null) {
            body.put("rejection_reason", message.rejectionReason().name());
        }
        body.put("status_updated_at", Timestamps.format(message.statusUpdatedAt()));
        return body;
    }

    /** IO's {@code ExternalMessageResponseWithContent}: exactly these properties. */
    static ObjectNode response(Message message) {
        ObjectNode body = Json.object();
        ObjectNode node = body.putObject("message");
        node.put("id", message.id());
        node.put("fiscal_code", message.fiscalCode());
        node.put("created_at", Timestamps.format(message.createdAt()));
        node.put("sender_service_id", message.senderServiceId());
        node.put("time_to_live", message.timeToLive());
        node.put("feature_level_type", message.featureLevelType().name());
        node.set("content", message.content().toJson());
        body.put("status", message.status().name());
        return body;
    }
}
