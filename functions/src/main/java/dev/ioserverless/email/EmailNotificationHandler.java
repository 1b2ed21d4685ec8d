package dev.ioserverless.email;

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
import dev.ioserverless.inbox.DynamoSenders;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.MessageProcessedEvent;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import java.util.List;

/**
 * Processes the email-notifications queue: each record is a MessageProcessed event (raw SNS
 * delivery from the message-events topic), and {@link EmailNotifier} emails its recipient when
 * the rules allow. A throttled send, or a store failure, is returned as a batch item failure, so
 * SQS delivers it again; everything else is acknowledged. One log line per record, with the
 * message id, the fiscal code as a keyed hash only, and never an address or any content.
 *
 * <p>Configuration: {@code MESSAGES_TABLE}, {@code MESSAGE_STATUS_TABLE}, {@code PROFILES_TABLE},
 * {@code SERVICE_PREFERENCES_TABLE}, {@code SERVICES_TABLE}, {@code EMAIL_DELIVERIES_TABLE},
 * {@code EMAIL_FROM_ADDRESS}, {@code EMAIL_CONFIGURATION_SET} and {@code APP_MESSAGE_URL} (the
 * app's link to a message, {@code {id}} standing for its id).
 */
public final class EmailNotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    static final String PRIMING_EVENT = "{\"event_type\":\"" + MessageProcessedEvent.EVENT_TYPE + "\",\"message_id\":\""
            + Priming.ABSENT_MESSAGE_ID + "\",\"sender_service_id\":\"priming\","
            + "\"created_at\":\"2030-01-01T00:00:00.000Z\",\"time_to_live\":3600,\"feature_level_type\":\"STANDARD\"}";
    private final EmailNotifier notifier;
    private final Log log;
    private Priming priming = Priming.none();

    public EmailNotificationHandler() {
        this(Config.fromEnvironment());
    }

    public EmailNotificationHandler(Config config) {
        this(config, new Log("EmailNotification", config));
    }

    private EmailNotificationHandler(Config config, Log log) {
        this(new EmailNotifier(DynamoMessageStore.fromConfig(config),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(AwsClients.dynamoDb(config), config.require("SERVICE_PREFERENCES_TABLE")),
                new DynamoSenders(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE")),
                new DynamoEmailLedger(AwsClients.dynamoDb(config), config.require("EMAIL_DELIVERIES_TABLE")),
                new DynamoEmailStatuses(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                new SesEmailSender(AwsClients.sesV2(config), config.require("EMAIL_FROM_ADDRESS"),
                        config.require("EMAIL_CONFIGURATION_SET")),
                config.require("APP_MESSAGE_URL"), config.clock()), log);
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_EVENT),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("EMAIL_DELIVERIES_TABLE"), "message_id"),
                // A record that is not an event: logged and acknowledged before anything is read or written.
                Priming.sqsBatch(() -> handleRequest(Priming.sqsRecord("{}"), null), 0)))
                .register();
    }

    public EmailNotificationHandler(EmailNotifier notifier, Log log) {
        this.notifier = notifier;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, this::handle);
    }

    private boolean handle(SQSEvent.SQSMessage record) {
        MessageProcessedEvent event;
        try {
            event = MessageProcessedEvent.fromJson(record.getBody());
        } catch (IllegalArgumentException e) {
            log.warn("record_malformed", "sqs_message_id", record.getMessageId(), "detail", e.getMessage() + "; acknowledged");
            return true;
        }
        try {
            EmailNotifier.Result result = notifier.notify(event.messageId());
            log.info("email_notification", "message_id", event.messageId(), "sqs_message_id", record.getMessageId(),
                    "sender_service_id", event.senderServiceId(), "outcome", result.outcome(),
                    "notification_status", result.status() == null ? null : result.status().name(), "retry", result.retry());
            if (result.status() != null) {
                log.metric("EmailNotifications" + result.status().name().charAt(0)
                        + result.status().name().substring(1).toLowerCase(java.util.Locale.ROOT), 1, "Count");
            }
            return !result.retry();
        } catch (RuntimeException e) {
            log.error("email_notification_failed", "message_id", event.messageId(), "sqs_message_id", record.getMessageId(),
                    "error", Failures.describe(e), "outcome", "retried");
            return false;
        }
    }
}
