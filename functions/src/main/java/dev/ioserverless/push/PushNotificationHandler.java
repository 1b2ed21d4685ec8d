package dev.ioserverless.push;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.SqsBatch;
import dev.ioserverless.messages.MessageProcessedEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Processes the push-notifications queue: each record is a MessageProcessed event (raw SNS
 * delivery from the message-events topic), and its recipient's devices get a push
 * ({@link PushNotifier}).
 *
 * <p>Reports partial batch failures: only a record that was throttled or hit an SNS or store
 * failure is returned as a batch item failure, so SQS delivers it again (devices already pushed are
 * skipped then). A record that is not a MessageProcessed event can never succeed: it is logged and
 * acknowledged. One log line per record, with the message id as correlation id, the fiscal code
 * only as a keyed hash, and never a device token or any message content.
 *
 * <p>Configuration: {@code MESSAGE_STATUS_TABLE}, {@code INSTALLATIONS_TABLE}, {@code PUSH_DELIVERIES_TABLE},
 * {@code APNS_PLATFORM_APPLICATION_ARN} and {@code FCM_PLATFORM_APPLICATION_ARN} (used when an
 * endpoint has to be created), and optionally {@code SERVICES_TABLE} to name the sending service in
 * the notifications of citizens who chose FULL push content (with the subject, read from
 * {@code MESSAGE_STATUS_TABLE}), for messages that do not require secure channels.
 */
public final class PushNotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    /** A MessageProcessed event of the shape the push queue carries, for priming. */
    static final String PRIMING_EVENT = "{\"event_type\":\"" + MessageProcessedEvent.EVENT_TYPE + "\",\"message_id\":\""
            + Priming.ABSENT_MESSAGE_ID + "\",\"fiscal_code\":\"" + Priming.NOBODY + "\",\"sender_service_id\":\"priming\","
            + "\"created_at\":\"2030-01-01T00:00:00.000Z\",\"time_to_live\":3600,\"feature_level_type\":\"STANDARD\"}";
    /** A MessageProcessed event without its fields, which the push functions acknowledge as malformed. */
    static final String PRIMING_MALFORMED = "{\"event_type\":\"" + MessageProcessedEvent.EVENT_TYPE + "\"}";
    private final PushNotifier notifier;
    private final MessageTitles messages;
    private final Log log;
    private Priming priming = Priming.none();
    private dev.ioserverless.common.CrashPoints crash = dev.ioserverless.common.CrashPoints.none();

    public PushNotificationHandler() {
        this(Config.fromEnvironment());
    }

    public PushNotificationHandler(Config config) {
        this(config, new Log("PushNotification", config));
    }

    private PushNotificationHandler(Config config, Log log) {
        this(new DynamoInstallationStore(AwsClients.dynamoDb(config), config.require("INSTALLATIONS_TABLE")),
                new DynamoPushDeliveryLedger(AwsClients.dynamoDb(config), config.require("PUSH_DELIVERIES_TABLE")),
                new DynamoNotificationStatusStore(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                pushEndpoints(config),
                senderNames(config),
                new DynamoMessageTitles(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                config.clock(),
                log);
        List<Priming.Step> steps = new ArrayList<>(List.of(
                Priming.json(PRIMING_EVENT),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("INSTALLATIONS_TABLE"),
                        "fiscal_code", "installation_id")));
        steps.addAll(snsPriming(config));
        // A MessageProcessed event without its fields: logged and acknowledged before anything is read or written.
        steps.add(Priming.sqsBatch(() -> handleRequest(Priming.sqsRecord(PRIMING_MALFORMED), null), 0));
        priming = new Priming(log, steps).register();
        crash = dev.ioserverless.common.CrashPoints.fromConfig(config);
    }

    public PushNotificationHandler(
            InstallationStore installations, PushDeliveryLedger ledger, NotificationStatusStore statuses,
            PushEndpoints endpoints, SenderNames senderNames, MessageTitles titles, Clock clock, Log log) {
        this.notifier = new PushNotifier(installations, ledger, statuses, endpoints, senderNames, titles, clock);
        this.messages = titles;
        this.log = log;
    }

    /** The SNS endpoints adapter for a function's configuration; the citizen API builds its registrar with it too. */
    public static SnsPushEndpoints pushEndpoints(Config config) {
        Map<Platform, String> applications = new EnumMap<>(Platform.class);
        config.find("APNS_PLATFORM_APPLICATION_ARN").ifPresent(arn -> applications.put(Platform.APNS, arn));
        config.find("FCM_PLATFORM_APPLICATION_ARN").ifPresent(arn -> applications.put(Platform.FCM, arn));
        return new SnsPushEndpoints(AwsClients.snsAtMostOnce(config), applications);
    }

    /** The push functions' SNS read: an endpoint that cannot exist, under a configured platform application. */
    public static List<Priming.Step> snsPriming(Config config) {
        return config.find("FCM_PLATFORM_APPLICATION_ARN").or(() -> config.find("APNS_PLATFORM_APPLICATION_ARN"))
                .map(arn -> List.of(Priming.snsEndpoint(AwsClients.sns(config), arn)))
                .orElse(List.of());
    }

    private static SenderNames senderNames(Config config) {
        DynamoDbClient dynamo = AwsClients.dynamoDb(config);
        return config.find("SERVICES_TABLE")
                .<SenderNames>map(table -> new DynamoSenderNames(dynamo, table))
                .orElse(SenderNames.NONE);
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, record -> {
            boolean done = handle(record);
            crash.reach(dev.ioserverless.common.CrashPoints.PUSH_AFTER_RECORD);
            return done;
        });
    }

    /** True when the record is done with, false to have it delivered again. */
    private boolean handle(SQSEvent.SQSMessage record) {
        MessageProcessedEvent event;
        try {
            event = MessageProcessedEvent.fromJson(record.getBody());
        } catch (IllegalArgumentException e) {
            // The parser's messages are fixed texts naming the missing field; they never quote the body.
            log.warn("record_malformed", "sqs_message_id", record.getMessageId(),
                    "detail", e.getMessage() + "; acknowledged");
            return true;
        }
        try {
            if (event.fiscalCode() == null) {
                // The event names no citizen: the recipient is the message's, read from its status item.
                Optional<String> recipient = messages.recipientOf(event.messageId());
                if (recipient.isEmpty()) {
                    log.warn("push_message_unknown", "message_id", event.messageId(), "sqs_message_id",
                            record.getMessageId(), "detail", "no such message; acknowledged");
                    return true;
                }
                event = event.withFiscalCode(recipient.get());
            }
            PushNotifier.Result result = notifier.notify(event);
            Object[] fields = {
                "message_id", event.messageId(),
                "sqs_message_id", record.getMessageId(),
                "receive_count", receiveCount(record),
                "fiscal_code_ref", log.fiscalCodeRef(event.fiscalCode()),
                "sender_service_id", event.senderServiceId(),
                "outcome", result.outcome().name(),
                "notification_status", result.status() == null ? null : result.status().name(),
                "status_recorded", result.statusRecorded(),
                "devices", result.devices(),
                "sent", result.sent(),
                "already_sent", result.alreadySent(),
                "in_progress", result.inProgress(),
                "failed", result.failed(),
                "pruned", result.pruned(),
                "throttled", result.throttled(),
                "errors", result.errors(),
                "unrecorded", result.unrecorded(),
                "retry", result.retry(),
                "error", result.firstError() == null ? null : Failures.describe(result.firstError())
            };
            if (result.retry() || result.unrecorded() > 0) {
                log.warn("push_notification", fields);
            } else {
                log.info("push_notification", fields);
            }
            metrics(result);
            return !result.retry();
        } catch (RuntimeException e) {
            log.error("push_notification_failed", "message_id", event.messageId(),
                    "sqs_message_id", record.getMessageId(), "receive_count", receiveCount(record),
                    "fiscal_code_ref", log.fiscalCodeRef(event.fiscalCode()), "error", Failures.describe(e));
            return false;
        }
    }

    private void metrics(PushNotifier.Result result) {
        if (result.sent() > 0) {
            log.metric("PushesSent", result.sent(), "Count");
        }
        if (result.failed() > 0) {
            log.metric("PushesFailed", result.failed(), "Count");
        }
        if (result.throttled()) {
            log.metric("PushesThrottled", 1, "Count");
        }
        if (result.outcome() == PushNotifier.Outcome.EXPIRED) {
            log.metric("PushesExpired", 1, "Count");
        }
    }

    private static String receiveCount(SQSEvent.SQSMessage record) {
        return record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
    }
}
