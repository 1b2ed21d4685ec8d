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
import java.util.List;

/**
 * Consumes the push queue's dead letters: a MessageProcessed event whose push kept failing. The
 * message's push channel becomes FAILED, unless a device already got it (SENT is final), so the
 * sender sees the outcome instead of a silent gap.
 */
public final class PushDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    private final NotificationStatusStore statuses;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public PushDeadLetterHandler() {
        this(Config.fromEnvironment());
    }

    public PushDeadLetterHandler(Config config) {
        this(config, new Log("PushDeadLetter", config));
    }

    private PushDeadLetterHandler(Config config, Log log) {
        this(new DynamoNotificationStatusStore(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json(PushNotificationHandler.PRIMING_EVENT),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // A MessageProcessed event without its fields: logged and acknowledged before anything is read or written.
                Priming.sqsBatch(() -> handleRequest(Priming.sqsRecord(PushNotificationHandler.PRIMING_MALFORMED), null), 0)))
                .register();
    }

    public PushDeadLetterHandler(NotificationStatusStore statuses, Clock clock, Log log) {
        this.statuses = statuses;
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
        return SqsBatch.process(event, this::handle);
    }

    /** True when the record is done with, false to have it delivered again. */
    private boolean handle(SQSEvent.SQSMessage record) {
        MessageProcessedEvent processed;
        try {
            processed = MessageProcessedEvent.fromJson(record.getBody());
        } catch (IllegalArgumentException e) {
            log.warn("push_dead_letter_malformed", "sqs_message_id", record.getMessageId());
            return true;
        }
        try {
            boolean recorded = statuses.record(processed.messageId(), NotificationStatus.FAILED, clock.instant());
            log.warn("push_dead_letter", "message_id", processed.messageId(),
                    "fiscal_code_ref", log.fiscalCodeRef(processed.fiscalCode()),
                    "outcome", recorded ? "FAILED" : "unchanged");
            return true;
        } catch (RuntimeException e) {
            log.error("push_dead_letter_failed", "message_id", processed.messageId(), "error", Failures.describe(e));
            return false;
        }
    }
}
