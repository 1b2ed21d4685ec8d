package dev.ioserverless.push;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.DeadLetterArchive;
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
 * sender sees the outcome instead of a silent gap; then the event is kept in the archive queue
 * ({@code DEAD_LETTER_ARCHIVE_QUEUE_URL}, 14 days), from which an operator redrives it to the push
 * queue: the devices not yet pushed get it (the ledger skips the others), and the channel becomes
 * SENT.
 */
public final class PushDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    private final NotificationStatusStore statuses;
    private final DeadLetterArchive archive;
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
                DeadLetterArchive.sqs(AwsClients.sqs(config), config.require("DEAD_LETTER_ARCHIVE_QUEUE_URL")),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json(PushNotificationHandler.PRIMING_EVENT),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // An empty batch: every record, even a malformed one, is archived, and priming writes nothing.
                Priming.sqsBatch(() -> handleRequest(Priming.emptySqsBatch(), null), 0)))
                .register();
    }

    public PushDeadLetterHandler(NotificationStatusStore statuses, DeadLetterArchive archive, Clock clock, Log log) {
        this.statuses = statuses;
        this.archive = archive;
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
            return keep(record, null);
        }
        try {
            boolean recorded = statuses.record(processed.messageId(), NotificationStatus.FAILED, clock.instant());
            log.warn("push_dead_letter", "message_id", processed.messageId(),
                    "fiscal_code_ref", log.fiscalCodeRef(processed.fiscalCode()),
                    "outcome", recorded ? "FAILED" : "unchanged");
        } catch (RuntimeException e) {
            log.error("push_dead_letter_failed", "message_id", processed.messageId(), "error", Failures.describe(e));
            return false;
        }
        return keep(record, processed.messageId());
    }

    private boolean keep(SQSEvent.SQSMessage record, String messageId) {
        try {
            archive.keep(record.getBody());
            return true;
        } catch (RuntimeException e) {
            log.error("push_dead_letter_not_archived", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                    "error", Failures.describe(e));
            return false;
        }
    }
}
