package dev.ioserverless.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.ScheduledRun;
import dev.ioserverless.common.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The sweeper of pending messages, every minute ({@link PendingMessagesSweep}): queues again
 * the messages accepted but never queued, or queued and never settled, and clears the outbox of
 * settled ones. The event may name the run's {@code time} (an ISO-8601 instant; now otherwise).
 * Answers and logs the run's counts; a run that queued messages again counts them in the
 * {@code PendingMessagesRequeued} metric, which the template's alarm watches.
 *
 * <p>Configuration: {@code MESSAGES_TABLE}, {@code MESSAGE_STATUS_TABLE},
 * {@code PENDING_MESSAGES_TABLE}, {@code MESSAGE_CREATED_QUEUE_URL}.
 */
public final class SweepPendingMessagesHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>, Priming.Primed {
    /** A run stops between shards when less time than this is left. */
    static final long MARGIN_MILLIS = 10_000;
    /** Priming's run: long before any message, so nothing is due. */
    static final String PRIMING_TIME = "1970-01-02T00:00:00Z";

    private final PendingMessagesSweep sweep;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public SweepPendingMessagesHandler() {
        this(Config.fromEnvironment());
    }

    public SweepPendingMessagesHandler(Config config) {
        this(config, new Log("SweepPendingMessages", config));
    }

    private SweepPendingMessagesHandler(Config config, Log log) {
        this(new PendingMessagesSweep(
                        new DynamoPendingMessages(AwsClients.dynamoDb(config), config.require("PENDING_MESSAGES_TABLE")),
                        DynamoMessageStore.fromConfig(config),
                        new SqsMessageCreatedQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL"))),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json("{\"time\":\"" + PRIMING_TIME + "\"}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                Priming.sqsQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                new Priming.Step("handler", () -> {
                    Object due = handleRequest(Map.of("time", PRIMING_TIME), null).get("due");
                    if (!Integer.valueOf(0).equals(due)) {
                        throw new IllegalStateException("the priming run found pending messages due");
                    }
                })))
                .register();
    }

    public SweepPendingMessagesHandler(PendingMessagesSweep sweep, Clock clock, Log log) {
        this.sweep = sweep;
        this.clock = clock;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Instant now = ScheduledRun.timeOf(event, clock);
        BooleanSupplier timeLeft = ScheduledRun.timeLeft(context, MARGIN_MILLIS);
        long start = System.nanoTime();
        PendingMessagesSweep.Result run = sweep.run(now, timeLeft);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("now", Timestamps.format(now));
        summary.put("due", run.due());
        summary.put("requeued", run.requeued());
        summary.put("settled", run.settled());
        summary.put("abandoned", run.abandoned());
        summary.put("waiting", run.waiting());
        summary.put("failed", run.failed());
        summary.put("stopped_early", run.stoppedEarly());
        Object[] fields = ScheduledRun.fields(summary, start);
        if (run.requeued() > 0 || run.failed() > 0 || run.stoppedEarly()) {
            log.warn("pending_messages_swept", fields);
        } else {
            log.info("pending_messages_swept", fields);
        }
        if (run.requeued() > 0) {
            log.metric("PendingMessagesRequeued", run.requeued(), "Count");
        }
        return summary;
    }
}
