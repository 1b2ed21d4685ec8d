package dev.ioserverless.reminders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.DynamoPushDeliveryLedger;
import dev.ioserverless.push.DynamoSenderNames;
import dev.ioserverless.push.PushDelivery;
import dev.ioserverless.push.PushNotificationHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The scheduled payment reminders ({@link PaymentReminders}): EventBridge Scheduler invokes it
 * every hour from 08:00 to 20:00 Europe/Rome with {@code {"time": "<scheduled time>"}}, and it runs
 * as of that time (an EventBridge "Scheduled Event", whose {@code time} is the same, works too;
 * without a {@code time} it runs as of its clock). A {@code time} that is not an ISO-8601 instant
 * fails the invocation.
 *
 * <p>It answers a summary of the run: {@code now}, {@code sending_hours}, {@code found} (index
 * entries read) and how many messages had each outcome ({@code sent}, {@code skipped},
 * {@code unfinished}, {@code rescheduled}, {@code waiting}, {@code dropped}, {@code changed},
 * {@code failed}), {@code throttled} and {@code stopped_early}. One log line per message found,
 * with the message id as correlation id and the fiscal code only as a keyed hash, never a subject
 * or a device token, and one line for the run.
 *
 * <p>Configuration: {@code MESSAGE_STATUS_TABLE}, {@code PROFILES_TABLE},
 * {@code SERVICE_PREFERENCES_TABLE}, {@code SERVICES_TABLE} (the sender's name in FULL pushes),
 * {@code INSTALLATIONS_TABLE}, {@code PUSH_DELIVERIES_TABLE}, and the platform applications
 * {@code APNS_PLATFORM_APPLICATION_ARN} / {@code FCM_PLATFORM_APPLICATION_ARN} (for priming only).
 */
public final class PaymentRemindersHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>, Priming.Primed {
    /** A run stops taking new messages when less time than this is left. */
    static final long MARGIN_MILLIS = 15_000;
    /** Priming's run: 10:00 in Rome on 2 January 1970, when no reminder of anyone's is due. */
    static final String PRIMING_TIME = "1970-01-02T09:00:00Z";

    private final PaymentReminders reminders;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public PaymentRemindersHandler() {
        this(Config.fromEnvironment());
    }

    public PaymentRemindersHandler(Config config) {
        this(config, AwsClients.dynamoDb(config), new Log("PaymentReminders", config));
    }

    private PaymentRemindersHandler(Config config, DynamoDbClient dynamo, Log log) {
        this(reminders(config, dynamo), config.clock(), log);
        List<Priming.Step> steps = new ArrayList<>(List.of(
                Priming.json("{\"time\":\"" + PRIMING_TIME + "\"}"),
                Priming.dynamoDb(dynamo, config.require("MESSAGE_STATUS_TABLE"), "id")));
        steps.addAll(PushNotificationHandler.snsPriming(config));
        // A run in the sending hours of a day long gone: it reads the index and finds nothing to do.
        steps.add(new Priming.Step("handler", () -> {
            Object found = handleRequest(Map.of("time", PRIMING_TIME), null).get("found");
            if (!Integer.valueOf(0).equals(found)) {
                throw new IllegalStateException("the priming run found reminders due");
            }
        }));
        priming = new Priming(log, steps).register();
    }

    /** The reminders of a function's configuration: the one place their collaborators are wired. */
    static PaymentReminders reminders(Config config, DynamoDbClient dynamo) {
        DynamoInstallationStore installations = new DynamoInstallationStore(dynamo, config.require("INSTALLATIONS_TABLE"));
        return new PaymentReminders(
                new DynamoReminderStore(dynamo, config.require("MESSAGE_STATUS_TABLE")),
                new DynamoProfileStore(dynamo, config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(dynamo, config.require("SERVICE_PREFERENCES_TABLE")),
                installations,
                new PushDelivery(installations, new DynamoPushDeliveryLedger(dynamo, config.require("PUSH_DELIVERIES_TABLE")),
                        PushNotificationHandler.pushEndpoints(config), config.clock()),
                new DynamoSenderNames(dynamo, config.require("SERVICES_TABLE")));
    }

    public PaymentRemindersHandler(PaymentReminders reminders, Clock clock, Log log) {
        this.reminders = reminders;
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
        Instant now = timeOf(event);
        BooleanSupplier timeLeft = dev.ioserverless.common.ScheduledRun.timeLeft(context, MARGIN_MILLIS);
        long start = System.nanoTime();
        PaymentReminders.RunResult run = reminders.run(now, timeLeft, this::logMessage);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("now", Timestamps.format(now));
        summary.put("sending_hours", run.sendingHours());
        summary.put("found", run.found());
        for (PaymentReminders.Outcome outcome : PaymentReminders.Outcome.values()) {
            summary.put(outcome.name().toLowerCase(java.util.Locale.ROOT), run.count(outcome));
        }
        summary.put("throttled", run.throttled());
        summary.put("stopped_early", run.stoppedEarly());
        Object[] fields = dev.ioserverless.common.ScheduledRun.fields(summary, start);
        if (run.stoppedEarly() || run.count(PaymentReminders.Outcome.FAILED) > 0) {
            log.warn("payment_reminders_run", fields);
        } else {
            log.info("payment_reminders_run", fields);
        }
        if (run.count(PaymentReminders.Outcome.SENT) > 0) {
            log.metric("PaymentRemindersSent", run.count(PaymentReminders.Outcome.SENT), "Count");
        }
        if (run.count(PaymentReminders.Outcome.FAILED) > 0) {
            log.metric("PaymentRemindersFailed", run.count(PaymentReminders.Outcome.FAILED), "Count");
        }
        return summary;
    }

    /** The run's "now": the event's {@code time}, as EventBridge Scheduler fills it in; the clock without one. */
    Instant timeOf(Map<String, Object> event) {
        return dev.ioserverless.common.ScheduledRun.timeOf(event, clock);
    }

    private void logMessage(PaymentReminders.MessageResult result) {
        var push = result.push();
        Object[] fields = {
            "message_id", result.messageId(),
            "fiscal_code_ref", log.fiscalCodeRef(result.fiscalCode()),
            "sender_service_id", result.senderServiceId(),
            "outcome", result.outcome().name(),
            "reminder", result.reminder() == null ? null : result.reminder().deliveryKind(),
            "reason", result.reason(),
            "recorded", result.recorded(),
            "devices", push == null ? null : push.devices(),
            "sent", push == null ? null : push.sent(),
            "already_sent", push == null ? null : push.alreadySent(),
            "in_progress", push == null ? null : push.inProgress(),
            "failed", push == null ? null : push.failed(),
            "pruned", push == null ? null : push.pruned(),
            "errors", push == null ? null : push.errors(),
            "throttled", push == null ? null : push.throttled(),
            "unrecorded", push == null ? null : push.unrecorded(),
            "error", result.error() != null ? Failures.describe(result.error())
                    : push != null && push.firstError() != null ? Failures.describe(push.firstError()) : null
        };
        switch (result.outcome()) {
            case FAILED -> log.error("payment_reminder", fields);
            case UNFINISHED -> log.warn("payment_reminder", fields);
            case SENT -> {
                if (result.recorded()) {
                    log.info("payment_reminder", fields);
                } else {
                    log.warn("payment_reminder", fields);
                }
            }
            default -> log.info("payment_reminder", fields);
        }
    }
}
