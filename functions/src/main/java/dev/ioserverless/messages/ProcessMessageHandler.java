package dev.ioserverless.messages;

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
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import dev.ioserverless.profiles.ProfileStore;
import dev.ioserverless.profiles.ServicePreferenceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Processes the message-created queue: for each {@code {"message_id"}} record, decides PROCESSED
 * or REJECTED, and announces a PROCESSED message on the message-events topic
 * ({@link MessageProcessing}).
 *
 * <p>Reports partial batch failures: a record fails (and SQS redelivers it, in the end to the
 * dead-letter queue) when its body is not a message-created notice, when its message does not
 * exist (yet), or when anything throws while handling it (a failed publish after the PROCESSED
 * write too: the redelivered record publishes again). Other records of the batch are not
 * affected. One log line per record, with the message id as correlation id.
 */
public final class ProcessMessageHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    private final MessageProcessing processing;
    private final MessageStore messages;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();
    private dev.ioserverless.common.CrashPoints crash = dev.ioserverless.common.CrashPoints.none();

    public ProcessMessageHandler() {
        this(Config.fromEnvironment());
    }

    public ProcessMessageHandler(Config config) {
        this(config, new Log("ProcessMessage", config));
    }

    private ProcessMessageHandler(Config config, Log log) {
        this(DynamoMessageStore.fromConfig(config),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(AwsClients.dynamoDb(config), config.require("SERVICE_PREFERENCES_TABLE")),
                new SnsMessageEvents(AwsClients.sns(config), config.require("MESSAGE_EVENTS_TOPIC_ARN")),
                new DynamoPaymentMarks(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                new dev.ioserverless.payments.DynamoReceiptLedger(AwsClients.dynamoDb(config), config.require("RECEIPTS_TABLE")),
                config.clock(),
                log);
        priming = new Priming(log, List.of(
                Priming.json(new MessageCreated(Priming.ABSENT_MESSAGE_ID).toJson()),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                Priming.snsTopic(AwsClients.sns(config), config.require("MESSAGE_EVENTS_TOPIC_ARN")),
                // Not a message-created notice: logged and reported as failed before anything is read or written.
                Priming.sqsBatch(() -> handleRequest(Priming.sqsRecord("{\"message_id\":\"" + Priming.ABSENT + "\"}"), null), 1)))
                .register();
        crash = dev.ioserverless.common.CrashPoints.fromConfig(config);
    }

    public ProcessMessageHandler(
            MessageStore messages, ProfileStore profiles, ServicePreferenceStore preferences,
            MessageEvents events, Clock clock, Log log) {
        this(messages, profiles, preferences, events, null, NoticeReceipts.NONE, clock, log);
    }

    public ProcessMessageHandler(
            MessageStore messages, ProfileStore profiles, ServicePreferenceStore preferences,
            MessageEvents events, PaymentMarks paymentMarks, NoticeReceipts receipts, Clock clock, Log log) {
        this.processing = new MessageProcessing(messages, profiles, preferences, events, paymentMarks, receipts, clock);
        this.messages = messages;
        this.clock = clock;
        this.log = log;
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
            crash.reach(dev.ioserverless.common.CrashPoints.PROCESS_AFTER_RECORD);
            return done;
        });
    }

    /** True when the record is done with (processed, rejected or skipped), false to have it retried. */
    private boolean handle(SQSEvent.SQSMessage record) {
        Optional<MessageCreated> notice = MessageCreated.parse(record.getBody());
        if (notice.isEmpty()) {
            log.warn("record_malformed", "sqs_message_id", record.getMessageId(),
                    "detail", "body is not {\"message_id\": <ULID>}");
            return false;
        }
        String messageId = notice.get().messageId();
        try {
            MessageProcessing.Result result = processing.process(messageId);
            MessageHeader message = result.message();
            switch (result.outcome()) {
                case MESSAGE_NOT_FOUND -> {
                    log.warn("message_not_found", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                            "receive_count", receiveCount(record));
                    return false;
                }
                case ALREADY_FINAL -> log.info("message_already_final", "message_id", messageId,
                        "sqs_message_id", record.getMessageId(),
                        "fiscal_code_ref", log.fiscalCodeRef(message.fiscalCode()),
                        "sender_service_id", message.senderServiceId(),
                        "status", message.status().name());
                case ANNOUNCED -> log.info("message_announced", "message_id", messageId,
                        "sqs_message_id", record.getMessageId(),
                        "fiscal_code_ref", log.fiscalCodeRef(message.fiscalCode()),
                        "sender_service_id", message.senderServiceId(),
                        "receive_count", receiveCount(record));
                case PROCESSED, REJECTED -> {
                    boolean refused = result.statusChange() == StatusChange.REFUSED;
                    Object[] fields = {
                        "message_id", messageId,
                        "sqs_message_id", record.getMessageId(),
                        "fiscal_code_ref", log.fiscalCodeRef(message.fiscalCode()),
                        "sender_service_id", message.senderServiceId(),
                        "outcome", result.outcome().name(),
                        "rule", result.decision().rule(),
                        "status_change", result.statusChange().name(),
                        "previous_status", message.status().name()
                    };
                    String name = result.outcome() == MessageProcessing.Outcome.PROCESSED
                            ? "message_processed" : "message_rejected";
                    if (refused) {
                        log.warn(name, fields);
                    } else {
                        log.info(name, fields);
                    }
                    log.metric(result.outcome() == MessageProcessing.Outcome.PROCESSED
                            ? "MessagesProcessed" : "MessagesRejected", 1, "Count");
                    log.metric("MessageProcessingDelay",
                            Math.max(0, Duration.between(message.createdAt(), clock.instant()).toMillis()), "Milliseconds");
                }
                default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
            }
            settle(messageId);
            return true;
        } catch (RuntimeException e) {
            log.error("message_processing_failed", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                    "receive_count", receiveCount(record), "error", Failures.describe(e));
            return false;
        }
    }

    /**
     * Takes the settled message out of the outbox of pending messages. A failure is only logged:
     * the record is done, and the sweeper deletes the item of a settled message it finds.
     */
    private void settle(String messageId) {
        try {
            messages.settle(messageId);
        } catch (RuntimeException e) {
            log.warn("message_settle_failed", "message_id", messageId, "error", Failures.describe(e),
                    "outcome", "left to the pending-messages sweeper");
        }
    }

    private static String receiveCount(SQSEvent.SQSMessage record) {
        return record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
    }
}
