package dev.ioserverless.local.template;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function of the template with its globals applied and its intrinsics resolved: the handler,
 * the timeout, exactly the environment it sees, and its event sources.
 *
 * @param codeUri the deployment artifact, relative to the template; null when the template names none
 * @param snapStart SnapStart applies to its published versions
 */
public record FunctionSpec(
        String logicalId,
        String functionName,
        String handlerClass,
        String handlerMethod,
        int timeoutSeconds,
        int memoryMb,
        Map<String, String> environment,
        List<HttpRoute> httpRoutes,
        List<SqsTrigger> sqsTriggers,
        List<ScheduleTrigger> schedules,
        String codeUri,
        boolean snapStart) {

    /** {@code Class::method}, as Lambda's {@code Handler} setting writes it. */
    public String handler() {
        return handlerClass + "::" + handlerMethod;
    }

    /**
     * @param apiLogicalId the HttpApi the route belongs to ({@code ApiId: !Ref X}), or
     *     {@link #IMPLICIT_API} for SAM's implicit API when the event names none
     * @param noAuthorizer the event's {@code Auth: { Authorizer: NONE }}: API Gateway runs no authorizer
     *     on this route, not even the API's default one
     */
    public record HttpRoute(String eventId, String method, String path, String apiLogicalId, boolean noAuthorizer) {
        public static final String IMPLICIT_API = "ServerlessHttpApi";

        /** A route under the API's default authorizer. */
        public HttpRoute(String eventId, String method, String path, String apiLogicalId) {
            this(eventId, method, path, apiLogicalId, false);
        }

        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * @param concurrency how many batches run at once: the event's {@code ScalingConfig.MaximumConcurrency}
     *     if set (Lambda's floor is 2), else {@link #LOCAL_CONCURRENCY}
     */
    public record SqsTrigger(String eventId, String queueLogicalId, int batchSize, int batchingWindowSeconds,
                             boolean reportBatchItemFailures, boolean enabled, int concurrency) {
        /** Lambda starts an SQS mapping with several concurrent batches; two keep a laptop responsive. */
        public static final int LOCAL_CONCURRENCY = 2;
    }

    /**
     * @param timezone the zone a cron expression is read in: the event's
     *     {@code ScheduleExpressionTimezone} for a {@code ScheduleV2} event, UTC otherwise (EventBridge
     *     rules have no time zone)
     * @param eventBridgeScheduler a {@code ScheduleV2} event: EventBridge Scheduler, which fills in the
     *     context attributes ({@code <aws.scheduler.scheduled-time>}, ...) of its {@code Input}
     * @param input the fixed payload, or null for EventBridge's "Scheduled Event"
     */
    public record ScheduleTrigger(String eventId, String expression, boolean enabled, String input, ZoneId timezone,
                                  boolean eventBridgeScheduler) {
    }

    public static List<FunctionSpec> all(Stack stack) {
        List<FunctionSpec> functions = new ArrayList<>();
        for (Resource resource : stack.template().ofType(SamTemplate.FUNCTION)) {
            functions.add(of(stack, resource));
        }
        return functions;
    }

    static FunctionSpec of(Stack stack, Resource resource) {
        Map<String, Object> globals = stack.template().functionGlobals();
        Map<String, Object> props = resource.properties();

        String handler = stack.resolveString(props.getOrDefault("Handler", globals.get("Handler")));
        if (handler == null) {
            throw new IllegalArgumentException("function " + resource.logicalId() + " has no Handler");
        }
        String[] parts = handler.split("::", 2);
        int timeout = intValue(stack.resolve(props.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3))));
        int memory = intValue(stack.resolve(props.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128))));

        Map<String, String> environment = new LinkedHashMap<>();
        addVariables(stack, globals, environment);
        addVariables(stack, props, environment);

        List<HttpRoute> routes = new ArrayList<>();
        List<SqsTrigger> sqs = new ArrayList<>();
        List<ScheduleTrigger> schedules = new ArrayList<>();
        SamTemplate.map(props.get("Events")).forEach((eventId, value) -> {
            Map<String, Object> event = SamTemplate.map(value);
            Map<String, Object> ep = SamTemplate.map(event.get("Properties"));
            String type = String.valueOf(event.get("Type"));
            switch (type) {
                case "HttpApi" -> routes.add(new HttpRoute(eventId,
                        String.valueOf(stack.resolve(ep.getOrDefault("Method", "ANY"))).toUpperCase(),
                        String.valueOf(stack.resolve(ep.getOrDefault("Path", "/{proxy+}"))),
                        apiId(ep.get("ApiId")), authorizerNone(stack, resource, eventId, ep)));
                case "SQS" -> {
                    String queueArn = stack.resolveString(ep.get("Queue"));
                    List<Object> responseTypes = SamTemplate.list(stack.resolve(ep.get("FunctionResponseTypes")));
                    sqs.add(new SqsTrigger(eventId, stack.queueLogicalIdByArn(queueArn),
                            intValue(stack.resolve(ep.getOrDefault("BatchSize", 10))),
                            intValue(stack.resolve(ep.getOrDefault("MaximumBatchingWindowInSeconds", 0))),
                            responseTypes.contains("ReportBatchItemFailures"),
                            !Boolean.FALSE.equals(stack.resolve(ep.getOrDefault("Enabled", true))),
                            Math.max(1, intValue(SamTemplate.map(stack.resolve(ep.get("ScalingConfig")))
                                    .getOrDefault("MaximumConcurrency", SqsTrigger.LOCAL_CONCURRENCY)))));
                }
                case "Schedule", "ScheduleV2" -> {
                    Object expression = ep.containsKey("Schedule") ? ep.get("Schedule") : ep.get("ScheduleExpression");
                    boolean enabled = !Boolean.FALSE.equals(stack.resolve(ep.getOrDefault("Enabled", true)))
                            && !"DISABLED".equals(stack.resolve(ep.getOrDefault("State", "ENABLED")));
                    boolean v2 = type.equals("ScheduleV2");
                    String zone = v2 ? stack.resolveString(ep.get("ScheduleExpressionTimezone")) : null;
                    ZoneId timezone;
                    try {
                        timezone = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
                    } catch (java.time.DateTimeException e) {
                        throw new IllegalArgumentException("function " + resource.logicalId() + "." + eventId
                                + ": ScheduleExpressionTimezone " + zone + " is not a time zone id", e);
                    }
                    schedules.add(new ScheduleTrigger(eventId, stack.resolveString(expression), enabled,
                            stack.resolveString(ep.get("Input")), timezone, v2));
                }
                default -> throw new IllegalArgumentException("function " + resource.logicalId()
                        + ": event type " + type + " is not supported by the local platform");
            }
        });
        return new FunctionSpec(resource.logicalId(), stack.physicalName(resource.logicalId()), parts[0],
                parts.length > 1 ? parts[1] : "handleRequest", timeout, memory, Map.copyOf(environment),
                List.copyOf(routes), List.copyOf(sqs), List.copyOf(schedules),
                stack.resolveString(props.getOrDefault("CodeUri", globals.get("CodeUri"))),
                "PublishedVersions".equals(String.valueOf(SamTemplate.map(stack.resolve(
                        props.getOrDefault("SnapStart", globals.get("SnapStart")))).get("ApplyOn"))));
    }

    private static void addVariables(Stack stack, Map<String, Object> props, Map<String, String> into) {
        Map<String, Object> variables = SamTemplate.map(SamTemplate.map(props.get("Environment")).get("Variables"));
        variables.forEach((name, value) -> {
            String resolved = stack.resolveString(value);
            if (resolved != null) {
                into.put(name, resolved);
            }
        });
    }

    /**
     * Whether the event says {@code Auth: { Authorizer: NONE }}. Naming any other authorizer of the
     * event's own is not something the local platform serves, so it is refused rather than ignored.
     */
    private static boolean authorizerNone(Stack stack, Resource resource, String eventId, Map<String, Object> ep) {
        Object auth = ep.get("Auth");
        if (auth == null) {
            return false;
        }
        Object authorizer = stack.resolve(SamTemplate.map(auth).get("Authorizer"));
        if ("NONE".equals(authorizer)) {
            return true;
        }
        throw new IllegalArgumentException("function " + resource.logicalId() + "." + eventId
                + ": Auth.Authorizer " + authorizer + " is not supported by the local platform (only NONE, or the API's default)");
    }

    private static String apiId(Object apiId) {
        if (apiId == null) {
            return HttpRoute.IMPLICIT_API;
        }
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String logicalId) {
            return logicalId;
        }
        throw new IllegalArgumentException("an HttpApi event's ApiId must be !Ref to an AWS::Serverless::HttpApi: " + apiId);
    }

    private static int intValue(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }
}
