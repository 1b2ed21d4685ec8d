package dev.ioserverless.local.runtime;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.local.template.FunctionSpec.ScheduleTrigger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the template's Schedule and ScheduleV2 events: each enabled schedule fires its function
 * with an EventBridge "Scheduled Event", or the event's {@code Input}. A ScheduleV2 (EventBridge
 * Scheduler) reads its cron in its {@code ScheduleExpressionTimezone} and fills the context
 * attributes of its {@code Input} in, as EventBridge Scheduler does: {@code
 * <aws.scheduler.scheduled-time>}, {@code <aws.scheduler.schedule-arn>}, {@code
 * <aws.scheduler.execution-id>} and {@code <aws.scheduler.attempt-number>}. Any scheduled function
 * can also be run once as of a chosen instant (the scheduled time it is given), which is how tests
 * and operators drive it.
 */
public final class Scheduler implements AutoCloseable {
    private static final Log LOG = Log.platform("scheduler");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final String region;
    private final String accountId;

    public Scheduler(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    public void register(LambdaFunction function) {
        functions.put(function.spec().logicalId(), function);
    }

    public boolean has(String logicalId) {
        return functions.containsKey(logicalId);
    }

    /** Starts the timers of every enabled schedule. */
    public void start() {
        functions.values().forEach(function -> function.spec().schedules().stream()
                .filter(ScheduleTrigger::enabled)
                .forEach(trigger -> arm(function, trigger, ScheduleExpression.parse(trigger.expression()))));
    }

    private void arm(LambdaFunction function, ScheduleTrigger trigger, ScheduleExpression expression) {
        Instant next = nextFiring(trigger, expression, Instant.now());
        long delay = Math.max(0, next.toEpochMilli() - System.currentTimeMillis());
        timer.schedule(() -> {
            try {
                function.invoke(event(function, trigger, next), Object.class);
            } catch (RuntimeException e) {
                LOG.error("scheduled_invocation_failed", "function", function.spec().logicalId(),
                        "error", e.getMessage());
            }
            arm(function, trigger, expression);
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** When the trigger's timer fires next after {@code after}: its cron read in its time zone. */
    static Instant nextFiring(ScheduleTrigger trigger, ScheduleExpression expression, Instant after) {
        return expression.next(after, trigger.timezone());
    }

    /** Runs a scheduled function once, as of {@code now}; returns what the function returned. */
    public Object runOnce(String logicalId, Instant now) {
        LambdaFunction function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("no scheduled function " + logicalId);
        }
        List<ScheduleTrigger> triggers = function.spec().schedules();
        return function.invoke(event(function, triggers.get(0), now), Object.class);
    }

    private Object event(LambdaFunction function, ScheduleTrigger trigger, Instant time) {
        return event(function.spec().logicalId(), trigger, time, region, accountId);
    }

    /** What the function is invoked with when {@code trigger} fires at {@code time}. */
    static Object event(String logicalId, ScheduleTrigger trigger, Instant time, String region, String accountId) {
        if (trigger.input() != null) {
            String input = trigger.input();
            if (trigger.eventBridgeScheduler()) {
                input = input.replace("<aws.scheduler.scheduled-time>", time.toString())
                        .replace("<aws.scheduler.schedule-arn>", "arn:aws:scheduler:" + region + ":" + accountId
                                + ":schedule/default/" + logicalId + trigger.eventId())
                        .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                        .replace("<aws.scheduler.attempt-number>", "1");
            }
            return dev.ioserverless.common.Json.read(input);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", time.toString());
        event.put("region", region);
        event.put("resources", List.of("arn:aws:events:" + region + ":" + accountId + ":rule/"
                + logicalId + trigger.eventId()));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
