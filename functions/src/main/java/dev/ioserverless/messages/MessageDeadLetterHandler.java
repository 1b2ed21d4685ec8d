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
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Processes the message-created dead-letter queue: a message whose processing exhausted its
 * retries is marked FAILED, unless it is already PROCESSED or REJECTED, so nothing is silently
 * dropped.
 *
 * <p>A record whose message does not exist, or whose body is not a message-created notice, has
 * nothing to mark: it is logged and acknowledged. Only a failing store call makes a record a
 * batch item failure (retried, and after that parked for an operator).
 */
public final class MessageDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Priming.Primed {
    private final MessageStatusTransitions messages;
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
        this(DynamoMessageStatuses.fromConfig(config), config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json(new MessageCreated(Priming.ABSENT_MESSAGE_ID).toJson()),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                // Not a message-created notice: logged and acknowledged before anything is read or written.
                Priming.sqsBatch(() -> handleRequest(Priming.sqsRecord("{\"message_id\":\"" + Priming.ABSENT + "\"}"), null), 0)))
                .register();
    }

    public MessageDeadLetterHandler(MessageStatusTransitions messages, Clock clock, Log log) {
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
        return SqsBatch.process(event, this::handle);
    }

    private boolean handle(SQSEvent.SQSMessage record) {
        Optional<MessageCreated> notice = MessageCreated.parse(record.getBody());
        if (notice.isEmpty()) {
            log.warn("dead_letter_malformed", "sqs_message_id", record.getMessageId(),
                    "detail", "body is not {\"message_id\": <ULID>}; acknowledged");
            return true;
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
                default -> log.info("dead_letter_ignored", "message_id", messageId,
                        "sqs_message_id", record.getMessageId(), "status_change", change.name());
            }
            return true;
        } catch (RuntimeException e) {
            log.error("dead_letter_failed", "message_id", messageId, "sqs_message_id", record.getMessageId(),
                    "error", Failures.describe(e));
            return false;
        }
    }
}
