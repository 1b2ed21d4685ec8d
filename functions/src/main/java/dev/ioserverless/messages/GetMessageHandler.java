package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ReadStatusSharing;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferenceStore;
import dev.ioserverless.reminders.ReminderSlot;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/messages/{fiscal_code}/{id}}: the sending service reads a message and its
 * status (IO's {@code getMessage}). Answers 200 with IO's {@code ExternalMessageResponseWithContent},
 * exactly these properties:
 *
 * <pre>
 * {"message": {id, fiscal_code, created_at, sender_service_id, time_to_live, feature_level_type, content},
 *  "status": "ACCEPTED|PROCESSED|REJECTED|FAILED",
 *  "notification": {"email": ..., "webhook": "SENT|THROTTLED|EXPIRED|FAILED"},   each once its channel has a status
 *  "read_status": "READ|UNREAD|UNAVAILABLE",                        see AdvancedMessageInfo
 *  "payment_status": "PAID|NOT_PAID"}                               see AdvancedMessageInfo
 * </pre>
 *
 * <p>{@code GET /api/v2/messages/{fiscal_code}/{id}} answers the processing detail instead
 * (status, rejection reason, status time, the same notification and advanced properties, and
 * the payment reminders sent), see {@link #detail}.
 *
 * <p>Order of checks: the {@link ServicesApi} pipeline (key 401, rate limit 429, source address
 * 403, group ApiMessageRead 403), then the path (400), then the message (404). A message of another service,
 * or under another fiscal code, is a 404 exactly like a missing one. The citizen's profile and
 * service preference are read only for the advanced properties.
 */
public final class GetMessageHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final ServicesApi api;
    private final MessageStore messages;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final Log log;
    private final ApiOperation operation = new Operation();
    private Priming priming = Priming.none();

    public GetMessageHandler() {
        this(Config.fromEnvironment());
    }

    public GetMessageHandler(Config config) {
        this(config, new Log("GetMessage", config));
    }

    private GetMessageHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, false),
                DynamoMessageStore.fromConfig(config),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(AwsClients.dynamoDb(config), config.require("SERVICE_PREFERENCES_TABLE")),
                log);
        String id = Priming.ABSENT_MESSAGE_ID;
        priming = new Priming(log, List.of(
                Priming.json("{\"message\":" + SubmitMessageHandler.PRIMING_MESSAGE + ",\"status\":\"PROCESSED\","
                        + "\"notification\":{\"webhook\":\"SENT\"},\"read_status\":\"UNREAD\"}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                // Without an API key the pipeline answers 401 before it reads or writes anything.
                Priming.http(() -> handleRequest(Priming.request("GET /api/v1/messages/{fiscal_code}/{id}",
                        "/api/v1/messages/" + Priming.NOBODY + "/" + id, Map.of("fiscal_code", Priming.NOBODY, "id", id),
                        Map.of(), null), null), 401)))
                .register();
    }

    public GetMessageHandler(ServicesApi api, MessageStore messages, ProfileStore profiles,
                             ServicePreferenceStore preferences, Log log) {
        this.api = api;
        this.messages = messages;
        this.profiles = profiles;
        this.preferences = preferences;
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
            return "GetMessage";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageRead);
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            String fiscalCode = request.pathParameter("fiscal_code");
            String id = request.pathParameter("id");
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
            request.logField("message_id", id);
            Service service = request.service();
            MessageWithReminders found = messages.findWithReminders(id)
                    .filter(candidate -> candidate.message().isVisibleTo(service.serviceId(), fiscalCode))
                    .orElseThrow(() -> new ProblemException(Problem.notFound(
                            "id: no message with this id for this fiscal code")));
            Message message = found.message();
            log.info("message_read", "message_id", message.id(), "service_id", service.serviceId(),
                    "status", message.status().name());
            Optional<ReadStatus> readStatus = Optional.empty();
            Optional<PaymentStatus> paymentStatus = Optional.empty();
            Optional<List<ReminderSlot>> reminders = Optional.empty();
            if (AdvancedMessageInfo.isVisible(message, service)) {
                readStatus = Optional.of(AdvancedMessageInfo.readStatus(message,
                        sharesReadStatus(message.fiscalCode(), service.serviceId())));
                paymentStatus = AdvancedMessageInfo.paymentStatus(message);
                reminders = AdvancedMessageInfo.reminders(message, found.remindersSent());
            }
            return ApiResponse.json(200, isDetailView(request)
                    ? detail(message, readStatus, paymentStatus, reminders)
                    : response(message, readStatus, paymentStatus));
        }
    }

    private boolean sharesReadStatus(String fiscalCode, String serviceId) {
        Optional<Profile> profile = profiles.find(fiscalCode);
        Optional<ServicePreference> preference = profile.isPresent()
                && ReadStatusSharing.needsServicePreference(profile.get())
                ? preferences.find(fiscalCode, serviceId)
                : Optional.empty();
        return ReadStatusSharing.isShared(profile, serviceId, preference);
    }

    private static boolean isDetailView(ApiRequest request) {
        return request.path().startsWith("/api/v2/");
    }

    /**
     * {@code GET /api/v2/messages/{fiscal_code}/{id}}: the processing detail a v1 body may not
     * carry (IO's schemas forbid extra properties): why a message was rejected and when its
     * status last changed, with the push channel's status and the advanced properties under the
     * same rules as v1, and the payment reminders sent ({@code reminders}: {@code [{kind,
     * sent_at}]}, see {@link AdvancedMessageInfo#reminders}), and for a third-party message
     * {@code has_attachments} and {@code precondition} ({@code has_precondition} and, once the
     * citizen accepted a ONCE precondition, {@code accepted_at}). No content.
     */
    static ObjectNode detail(Message message, Optional<ReadStatus> readStatus, Optional<PaymentStatus> paymentStatus) {
        return detail(message, readStatus, paymentStatus, Optional.empty());
    }

    static ObjectNode detail(Message message, Optional<ReadStatus> readStatus, Optional<PaymentStatus> paymentStatus,
                             Optional<List<ReminderSlot>> reminders) {
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
        putAdvanced(body, message, readStatus, paymentStatus);
        ThirdPartyData thirdParty = message.content().thirdPartyData();
        if (thirdParty != null) {
            body.put("has_attachments", thirdParty.hasAttachments());
            ObjectNode precondition = body.putObject("precondition");
            precondition.put("has_precondition", thirdParty.precondition().name());
            if (message.preconditionAcceptedAt() != null) {
                precondition.put("accepted_at", Timestamps.format(message.preconditionAcceptedAt()));
            }
        }
        reminders.ifPresent(sent -> {
            var list = body.putArray("reminders");
            sent.forEach(slot -> list.addObject().put("kind", slot.kind().name())
                    .put("sent_at", Timestamps.format(slot.at())));
        });
        return body;
    }

    /** IO's {@code ExternalMessageResponseWithContent}: exactly these properties. */
    static ObjectNode response(Message message, Optional<ReadStatus> readStatus, Optional<PaymentStatus> paymentStatus) {
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
        putAdvanced(body, message, readStatus, paymentStatus);
        return body;
    }

    /**
     * IO's {@code notification} (once a channel has a status: {@code webhook} for push, {@code email}),
     * {@code read_status}, {@code payment_status}.
     */
    private static void putAdvanced(ObjectNode body, Message message, Optional<ReadStatus> readStatus,
                                    Optional<PaymentStatus> paymentStatus) {
        if (message.notificationWebhook() != null || message.notificationEmail() != null) {
            ObjectNode notification = body.putObject("notification");
            if (message.notificationEmail() != null) {
                notification.put("email", message.notificationEmail().name());
            }
            if (message.notificationWebhook() != null) {
                notification.put("webhook", message.notificationWebhook().name());
            }
        }
        readStatus.ifPresent(value -> body.put("read_status", value.name()));
        paymentStatus.ifPresent(value -> body.put("payment_status", value.name()));
    }
}
