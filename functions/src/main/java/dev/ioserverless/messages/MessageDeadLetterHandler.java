package dev.ioserverless.messages;

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
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Processes the message-created dead-letter queue: a message whose processing exhausted its
 * retries is marked FAILED, unless it is already PROCESSED or REJECTED, so nothing is silently
 * dropped; then the dead letter is kept in the archive queue ({@code DEAD_LETTER_ARCHIVE_QUEUE_URL},
 * 14 days), from which an operator redrives it to the processing queue once the cause is fixed. A
 * redriven message is processed as any other: FAILED to PROCESSED is an allowed transition.
 *
 * <p>A record whose message does not exist, or whose body is not a message-created notice, has
 * nothing to mark: it is logged, kept in the archive all the same, and acknowledged. So is a
 * PROCESSED message whose MessageProcessed event was never published (its publish kept failing),
 * logged as an error: redriven, processing announces it. A failing store or archive call makes a
 * record a batch item failure (retried, and after that parked by the queue's own redrive policy in
 * the same archive).
 */
public final class MessageDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    private final MessageStatusTransitions messages;
    private final DeadLetterArchive archive;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public MessageDeadLetterHandler() {
        this(Config.fromEnvironment());
    }

    public MessageDeadLetterHandler(Config config) {
        this(config, new Log("MessageDeadLetter", config));
    }

    private MessageDeadLetterHandler(Config config, Log log) {
        this(DynamoMessageStatuses.fromConfig(config),
                DeadLetterArchive.sqs(AwsClients.sqs(config), config.require("DEAD_LETTER_ARCHIVE_QUEUE_URL")),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json(new MessageCreated(Priming.ABSENT_MESSAGE_ID).toJson()),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // An empty batch: every record, even a malformed one, is archived, and priming writes nothing.
                Priming.sqsBatch(() -> handleRequest(Priming.emptySqsBatch(), null), 0)))
                .register();
    }

    public MessageDeadLetterHandler(MessageStatusTransitions messages, DeadLetterArchive archive, Clock clock, Log log) {
        this.messages = messages;
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

    private boolean handle(SQSEvent.SQSMessage record) {
        Optional<MessageCreated> notice = MessageCreated.parse(record.getBody());
        if (notice.isEmpty()) {
            log.warn("dead_letter_malformed", "sqs_message_id", record.getMessageId(),
                    "detail", "body is not {\"message_id\": <ULID>}; kept in the archive");
            return keep(record, null);
        }
        String messageId = notice.get().messageId();
        try {
            StatusChange change = messages.transition(messageId, MessageStatus.FAILED, null, clock.instant());
            switch (change) {
                case NOT_FOUND -> log.warn("dead_letter_unknown_message", "message_id", messageId,
                        "sqs_message_id", record.getMessageId());
                case APPLIED -> {
                    log.warn("message_failed", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                            "status_change", change.name());
                    log.metric("MessagesFailed", 1, "Count");
                }
                default -> {
                    if (messages.awaitsAnnouncement(messageId)) {
                        // Decided but never announced: acknowledging would lose its push for good.
                        log.error("dead_letter_unannounced", "message_id", messageId,
                                "sqs_message_id", record.getMessageId(),
                                "detail", "PROCESSED but its MessageProcessed event was not published; kept in the"
                                        + " archive for an operator to redrive");
                        return keep(record, messageId);
                    }
                    log.info("dead_letter_ignored", "message_id", messageId,
                            "sqs_message_id", record.getMessageId(), "status_change", change.name());
                }
            }
        } catch (RuntimeException e) {
            log.error("dead_letter_failed", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                    "error", Failures.describe(e));
            return false;
        }
        return keep(record, messageId);
    }

    private boolean keep(SQSEvent.SQSMessage record, String messageId) {
        try {
            archive.keep(record.getBody());
            return true;
        } catch (RuntimeException e) {
            log.error("dead_letter_not_archived", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                    "error", Failures.describe(e));
            return false;
        }
    }
}
