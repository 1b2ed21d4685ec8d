package dev.ioserverless.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.local.auth.JwtAuthorizer;
import dev.ioserverless.local.auth.LocalJwt;
import dev.ioserverless.local.emulators.DynamoDbLocal;
import dev.ioserverless.local.emulators.ElasticMq;
import dev.ioserverless.local.emulators.S3Store;
import dev.ioserverless.local.kms.KmsEmulator;
import dev.ioserverless.local.provision.BucketLifecycle;
import dev.ioserverless.local.remotecontent.DemoRemoteContentServer;
import dev.ioserverless.local.provision.Provisioner;
import dev.ioserverless.local.runtime.HttpGateway;
import dev.ioserverless.local.runtime.HttpGateway.LocalResponse;
import dev.ioserverless.local.runtime.ContainerRuntime;
import dev.ioserverless.local.runtime.InProcessFunction;
import dev.ioserverless.local.runtime.LambdaFunction;
import dev.ioserverless.local.runtime.Scheduler;
import dev.ioserverless.local.runtime.SqsEventSource;
import dev.ioserverless.local.ses.OutboxRoutes;
import dev.ioserverless.local.ses.SesEmulator;
import dev.ioserverless.local.sns.SnsEmulator;
import dev.ioserverless.local.ssm.SsmEmulator;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole system on one machine: DynamoDB Local, ElasticMQ, our SNS, SSM, KMS and SES endpoints,
 * S3 (S3Proxy) and a demo remote-content server in this JVM,
 * the resources of {@code template.yaml} created on them, every function's handler built with
 * exactly its template environment, the HTTP API, the SQS triggers and the schedules.
 */
public final class LocalPlatform implements AutoCloseable {
    public static final String REGION = "eu-south-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String STACK_NAME = "io-local";
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";
    /** Values for template parameters that have no default (secrets a deployment is given). */
    static final String APNS_APPLICATION = "io-local-apns";
    static final String FCM_APPLICATION = "io-local-fcm";
    static final Map<String, String> LOCAL_PARAMETERS = Map.of(
            "LogHashKey", "local-only-log-hash-key-not-a-secret-0123456789",
            "CitizenJwtIssuer", "io-local-identity-provider",
            "CitizenJwtAudience", "io-local-app",
            "RemoteContentAllowLoopback", "true",
            "ApnsPlatformApplicationArn", "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":app/APNS/" + APNS_APPLICATION,
            "FcmPlatformApplicationArn", "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":app/GCM/" + FCM_APPLICATION);

    /** The SSM endpoint listens on the base port plus this (the HTTP APIs take base + 4 onwards). */
    static final int SSM_PORT_OFFSET = 9;
    /** S3 (S3Proxy) listens on the base port plus this. */
    static final int S3_PORT_OFFSET = 10;
    /** The demo remote-content server listens on the base port plus this. */
    static final int REMOTE_CONTENT_PORT_OFFSET = 11;
    /** KMS listens on the base port plus this. */
    static final int KMS_PORT_OFFSET = 12;
    /** SES (v2) listens on the base port plus this: the highest offset the platform takes. */
    static final int SES_PORT_OFFSET = 13;
    static final int HIGHEST_PORT_OFFSET = SES_PORT_OFFSET;
    /** The SDK's own setting of when requests carry checksums, which the platform's S3 needs "when_required". */
    public static final String S3_CHECKSUM_VARIABLE = "AWS_REQUEST_CHECKSUM_CALCULATION";

    /** SQS's visibility timeout when a queue sets none. */
    static final int DEFAULT_VISIBILITY_TIMEOUT = 30;

    private final Options options;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final Map<String, Config> functionConfigs = new LinkedHashMap<>();
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private DynamoDbLocal dynamoDbLocal;
    private ElasticMq elasticMq;
    private SnsEmulator snsEmulator;
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    private URI snsEndpoint;
    private ExternalPushDeliveries externalPushes;
    private SsmEmulator ssmEmulator;
    private S3Store s3Store;
    private KmsEmulator kmsEmulator;
    private URI s3Endpoint;
    private URI kmsEndpoint;
    private SesEmulator sesEmulator;
    private URI sesEndpoint;
    private S3Client s3;
    private KmsClient kms;
    private SesV2Client ses;
    private BucketLifecycle bucketLifecycle;
    private DemoRemoteContentServer remoteContent;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private SnsClient sns;
    private Stack stack;
    private Scheduler scheduler;
    private HttpGateway gateway;
    /** Every HTTP API of the template by logical id, the first (which also serves /_local/) first. */
    private final Map<String, HttpGateway> apis = new LinkedHashMap<>();
    private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
    private LocalJwt citizenTokens;
    private ContainerRuntime containerRuntime;
    private JwtAuthorizer citizenAuthorizer;
    private int port;
    private Demo demo;

    /**
     * How to run the platform. Port 0 gives every endpoint a free port. {@code clock} is what the
     * in-process functions tell time by (the system's UTC clock unless a test gives another).
     */
    public record Options(String host, int port, Path stateDir, boolean persist, Path template,
                          boolean schedules, boolean seedDemo, Clock clock, boolean inProcess,
                          ContainerRuntime.Settings containers,
                          List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> platformSqsInterceptors,
                          Map<String, String> functionVariables, URI externalAws) {
        public static Options defaults() {
            return new Options("127.0.0.1", 3000, Path.of(".io-local"), false, null, true, true, Clock.systemUTC(),
                    false, ContainerRuntime.Settings.defaults(), List.of(), Map.of(), null);
        }

        public Options withPort(int value) {
            return new Options(host, value, stateDir, persist, template, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        public Options withStateDir(Path value) {
            return new Options(host, port, value, persist, template, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        public Options withPersist(boolean value) {
            return new Options(host, port, stateDir, value, template, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        public Options withTemplate(Path value) {
            return new Options(host, port, stateDir, persist, value, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        public Options withSchedules(boolean value) {
            return new Options(host, port, stateDir, persist, template, value, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        public Options withSeedDemo(boolean value) {
            return new Options(host, port, stateDir, persist, template, schedules, value, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        /** What in-process functions tell time by; container functions use the system clock, as Lambda's do. */
        public Options withClock(Clock value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, value,
                    inProcess, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        /**
         * Functions in the platform's own JVM (fast, for tests that need speed or a test clock)
         * instead of each in its own Lambda-like runtime.
         */
        public Options withInProcess(boolean value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, clock,
                    value, containers, platformSqsInterceptors, functionVariables, externalAws);
        }

        /** For the benchmark: interceptors on the platform's own SQS client (event source polls, SNS deliveries). */
        public Options withPlatformSqsInterceptors(
                List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, clock, inProcess, containers,
                    List.copyOf(value), functionVariables, externalAws);
        }

        /**
         * Variables every function gets besides its template's: the chaos switches
         * ({@code IO_FAULTS}, {@code IO_CRASH_POINTS}, {@code IO_FAULTS_SEED}) of {@code --faults}
         * and {@code --crash}. Never anything a deployed function lacks otherwise.
         */
        public Options withFunctionVariables(Map<String, String> value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, Map.copyOf(value), externalAws);
        }

        /**
         * DynamoDB, SQS, SNS, S3, KMS and SES served by one external endpoint (moto_server, LocalStack)
         * instead of the embedded DynamoDB Local, ElasticMQ, our SNS endpoint, S3Proxy, our KMS and our SES:
         * the second-opinion suites. Parameter Store and the demo remote-content server stay the
         * platform's own.
         */
        public Options withExternalAws(URI value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, clock,
                    inProcess, containers, platformSqsInterceptors, functionVariables, value);
        }

        public Options withContainers(ContainerRuntime.Settings value) {
            return new Options(host, port, stateDir, persist, template, schedules, seedDemo, clock,
                    inProcess, value, platformSqsInterceptors, functionVariables, externalAws);
        }
    }

    public LocalPlatform(Options options) {
        this.options = options;
    }

    public static LocalPlatform start(Options options) throws IOException {
        LocalPlatform platform = new LocalPlatform(options);
        try {
            platform.startAll();
            return platform;
        } catch (IOException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        Path templatePath = locateTemplate(options.template());
        createPrivateDirectory(options.stateDir());
        int base = options.port();
        String host = options.host();

        if (options.externalAws() == null) {
            dynamoDbLocal = track(DynamoDbLocal.start(host, base == 0 ? 0 : base + 1,
                    options.persist() ? options.stateDir().resolve("dynamodb") : null));
            elasticMq = track(ElasticMq.start(host, base == 0 ? 0 : base + 2, REGION, ACCOUNT_ID));
            dynamoDbEndpoint = dynamoDbLocal.endpoint();
            sqsEndpoint = elasticMq.endpoint();
        } else {
            dynamoDbEndpoint = options.externalAws();
            sqsEndpoint = options.externalAws();
            snsEndpoint = options.externalAws();
        }
        sqs = track(SqsClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .overrideConfiguration(c -> options.platformSqsInterceptors().forEach(c::addExecutionInterceptor))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(sqsEndpoint).build());
        if (options.externalAws() == null) {
            snsEmulator = new SnsEmulator(sqs, REGION, ACCOUNT_ID);
            snsEmulator.start(host, base == 0 ? 0 : base + 3);
            track(snsEmulator);
            snsEndpoint = snsEmulator.endpoint();
        }
        sns = track(SnsClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(snsEndpoint).build());
        // Platform applications hold the APNs / FCM credentials, so a deployment creates them outside
        // the template and passes their ARNs as parameters; locally they are created here.
        if (snsEmulator != null) {
            snsEmulator.createPlatformApplication(APNS_APPLICATION, "APNS", Map.of());
            snsEmulator.createPlatformApplication(FCM_APPLICATION, "GCM", Map.of());
        } else {
            externalPushes = new ExternalPushDeliveries(options.externalAws(), sns);
            for (var application : Map.of(APNS_APPLICATION, "APNS", FCM_APPLICATION, "GCM").entrySet()) {
                String arn = sns.createPlatformApplication(b -> b.name(application.getKey()).platform(application.getValue())
                        .attributes(Map.of("PlatformCredential", "local", "PlatformPrincipal", "local")))
                        .platformApplicationArn();
                String expected = LOCAL_PARAMETERS.get(application.getValue().equals("APNS")
                        ? "ApnsPlatformApplicationArn" : "FcmPlatformApplicationArn");
                if (!arn.equals(expected)) {
                    throw new IllegalStateException("the external SNS made platform application " + arn + ", not " + expected
                            + ": it must serve account " + ACCOUNT_ID + " in " + REGION);
                }
            }
        }
        // Parameter Store, for the secrets a deployment keeps there (the payment callback's).
        ssmEmulator = new SsmEmulator(REGION, ACCOUNT_ID);
        ssmEmulator.start(host, base == 0 ? 0 : base + SSM_PORT_OFFSET);
        track(ssmEmulator);
        dynamoDb = track(DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(dynamoDbEndpoint).build());
        // S3 (hosted documents) and KMS (keys of the remote-content configurations): ours, or the
        // external endpoint's (moto serves both).
        if (options.externalAws() == null) {
            s3Store = track(S3Store.start(host, base == 0 ? 0 : base + S3_PORT_OFFSET, REGION,
                    Map.of(ACCESS_KEY, SECRET_KEY, ContainerRuntime.ACCESS_KEY, ContainerRuntime.SECRET_KEY),
                    options.persist() ? options.stateDir().resolve("s3") : null));
            s3Endpoint = s3Store.endpoint();
            kmsEmulator = new KmsEmulator(REGION, ACCOUNT_ID, options.persist() ? options.stateDir().resolve("kms") : null);
            kmsEmulator.start(host, base == 0 ? 0 : base + KMS_PORT_OFFSET);
            track(kmsEmulator);
            kmsEndpoint = kmsEmulator.endpoint();
            // SES v2 (the email channel), whose outbox /_local/emails shows.
            sesEmulator = new SesEmulator(REGION, ACCOUNT_ID, options.clock());
            sesEmulator.start(host, base == 0 ? 0 : base + SES_PORT_OFFSET);
            track(sesEmulator);
            sesEndpoint = sesEmulator.endpoint();
        } else {
            s3Endpoint = options.externalAws();
            kmsEndpoint = options.externalAws();
            sesEndpoint = options.externalAws();
        }
        s3 = track(S3Client.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                // S3Proxy does not take the SDK's default upload, aws-chunked with a CRC32 trailer
                // (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER): checksums only where S3 requires them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build());
        kms = track(KmsClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(kmsEndpoint).build());
        ses = track(SesV2Client.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(sesEndpoint).build());
        // A public body's server for remote content (IO's third-party messages), for the demo.
        remoteContent = new DemoRemoteContentServer();
        remoteContent.start(host, base == 0 ? 0 : base + REMOTE_CONTENT_PORT_OFFSET);
        track(remoteContent);

        stack = new Stack(SamTemplate.load(templatePath), STACK_NAME, REGION, ACCOUNT_ID, LOCAL_PARAMETERS);
        new Provisioner(stack, dynamoDb, sqs, sns, s3, kms, ses).provision();
        bucketLifecycle = BucketLifecycle.of(stack);

        citizenTokens = new LocalJwt(options.clock());
        for (var api : stack.template().ofType(SamTemplate.HTTP_API)) {
            JwtAuthorizer authorizer = JwtAuthorizer.of(stack, api);
            if (authorizer != null && citizenAuthorizer == null) {
                citizenAuthorizer = authorizer;
            }
            apis.put(api.logicalId(), track(new HttpGateway(authorizer == null ? null
                    : header -> citizenTokens.verify(header, authorizer.issuer(), authorizer.audiences()))));
        }
        if (apis.isEmpty()) {
            apis.put(FunctionSpec.HttpRoute.IMPLICIT_API, track(new HttpGateway()));
        }
        gateway = apis.values().iterator().next();
        scheduler = track(new Scheduler(REGION, ACCOUNT_ID));
        ExecutorService invocations = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "lambda");
            thread.setDaemon(true);
            return thread;
        });
        track(invocations::shutdownNow);
        for (FunctionSpec spec : FunctionSpec.all(stack)) {
            Config config = configFor(spec);
            functionConfigs.put(spec.logicalId(), config);
            LambdaFunction function = options.inProcess()
                    ? new InProcessFunction(spec, stack.arn(spec.logicalId()), config, invocations)
                    : containers(templatePath, spec).function(spec, stack.arn(spec.logicalId()),
                            withFunctionVariables(spec.environment()));
            functions.put(spec.logicalId(), function);
            for (FunctionSpec.HttpRoute route : spec.httpRoutes()) {
                HttpGateway api = apis.get(route.apiLogicalId());
                if (api == null) {
                    throw new IllegalArgumentException(spec.logicalId() + "." + route.eventId()
                            + ": no AWS::Serverless::HttpApi " + route.apiLogicalId() + " in the template");
                }
                api.addRoute(route.method(), route.path(), function, route.noAuthorizer());
            }
            for (FunctionSpec.SqsTrigger trigger : spec.sqsTriggers()) {
                requireVisibilityTimeoutCovers(stack, spec, trigger);
                if (trigger.enabled()) {
                    eventSources.add(new SqsEventSource(sqs, stack.resolveString(Map.of("Ref", trigger.queueLogicalId())),
                            stack.arn(trigger.queueLogicalId()), REGION, trigger, function));
                }
            }
            if (!spec.schedules().isEmpty()) {
                scheduler.register(function);
            }
        }
        gateway.addLocalRoute("health", (method, path, query, body) -> gateway.isReady()
                ? new LocalResponse(200, "application/json", "{\"status\":\"ok\"}")
                : new LocalResponse(503, "application/json", "{\"status\":\"starting\"}"));
        gateway.addLocalRoute("schedules", this::runSchedule);
        gateway.addLocalRoute("push-deliveries", this::pushDeliveries);
        gateway.addLocalRoute("redrive", this::redrive);
        gateway.addLocalRoute("citizen-token", this::citizenToken);
        gateway.addLocalRoute("s3", this::runLifecycle);
        gateway.addLocalRoute("emails", new OutboxRoutes(sesEmulator, sns, options.clock()));
        int next = 4;
        for (Map.Entry<String, HttpGateway> api : apis.entrySet()) {
            int apiPort = api.getValue() == gateway ? base : base == 0 ? 0 : base + next++;
            apiPorts.put(api.getKey(), api.getValue().start(host, apiPort));
        }
        port = apiPorts.get(apis.keySet().iterator().next());

        if (options.seedDemo()) {
            demo = Demo.seed(this, options.stateDir(), options.persist());
        }
        for (SqsEventSource source : eventSources) {
            source.start();
            track(source);
        }
        if (options.schedules()) {
            scheduler.start();
        }
        apis.values().forEach(HttpGateway::markReady);
    }

    /**
     * Lambda refuses an SQS event source mapping whose queue would show a message again while the
     * function may still be working on it: the queue's visibility timeout must be at least the
     * function's timeout. So does the platform, so a template that cannot deploy cannot run here.
     */
    static void requireVisibilityTimeoutCovers(Stack stack, FunctionSpec spec, FunctionSpec.SqsTrigger trigger) {
        var queue = stack.template().resources().get(trigger.queueLogicalId());
        Object configured = queue == null ? null : stack.resolve(queue.property("VisibilityTimeout"));
        int visibility = configured == null ? DEFAULT_VISIBILITY_TIMEOUT : Integer.parseInt(String.valueOf(configured));
        if (visibility < spec.timeoutSeconds()) {
            throw new IllegalArgumentException(spec.logicalId() + "." + trigger.eventId() + ": queue "
                    + trigger.queueLogicalId() + " has a visibility timeout of " + visibility
                    + " s, less than the function's timeout of " + spec.timeoutSeconds() + " s; Lambda refuses this trigger");
        }
    }

    /** {@code POST /_local/schedules/{FunctionLogicalId}/run?now=<ISO instant>} */
    private LocalResponse runSchedule(String method, String path, Map<String, String> query, byte[] body) {
        String[] parts = path.split("/");
        if (!method.equals("POST") || parts.length != 3 || !parts[2].equals("run")) {
            return new LocalResponse(404, "application/json", "{\"message\":\"Not Found\"}");
        }
        if (!scheduler.has(parts[1])) {
            return problem(404, "no scheduled function " + parts[1]);
        }
        Instant now;
        try {
            now = query.containsKey("now") ? Instant.parse(query.get("now")) : options.clock().instant();
        } catch (DateTimeParseException e) {
            return problem(400, "now: expected an ISO-8601 instant such as 2026-01-31T08:00:00Z");
        }
        try {
            Object result = scheduler.runOnce(parts[1], now);
            ObjectNode reply = Json.object();
            reply.put("function", parts[1]);
            reply.put("now", now.toString());
            reply.set("result", Json.MAPPER.valueToTree(result));
            return new LocalResponse(200, "application/json", Json.write(reply));
        } catch (LambdaFunction.InvocationFailure failure) {
            return problem(502, failure.getMessage());
        }
    }

    /**
     * {@code POST /_local/s3/lifecycle/run?now=<ISO instant>}: applies the expiration rules of the
     * template's buckets once, as of that time (S3 runs them on its own about once a day), and
     * answers {@code {"deleted": N}}.
     */
    private LocalResponse runLifecycle(String method, String path, Map<String, String> query, byte[] body) {
        if (!method.equals("POST") || !path.equals("s3/lifecycle/run")) {
            return problem(404, "expected POST /_local/s3/lifecycle/run?now=<ISO instant>");
        }
        Instant now;
        try {
            now = query.containsKey("now") ? Instant.parse(query.get("now")) : options.clock().instant();
        } catch (DateTimeParseException e) {
            return problem(400, "now: expected an ISO-8601 instant such as 2026-01-31T08:00:00Z");
        }
        ObjectNode reply = Json.object();
        reply.put("deleted", bucketLifecycle.run(s3, now));
        return new LocalResponse(200, "application/json", Json.write(reply));
    }

    /**
     * {@code POST /_local/redrive/{QueueLogicalId}}: moves every message of a dead-letter queue or
     * of its archive back to the queue at the head of its redrive chain (the template's
     * {@code RedrivePolicy}s), as {@code io-local.jar redrive} does against AWS.
     */
    private LocalResponse redrive(String method, String path, Map<String, String> query, byte[] body) {
        String[] parts = path.split("/");
        if (!method.equals("POST") || parts.length != 2) {
            return problem(404, "expected POST /_local/redrive/{QueueLogicalId}");
        }
        String from = parts[1];
        if (stack.template().resources().get(from) == null
                || !SamTemplate.QUEUE.equals(stack.template().resources().get(from).type())) {
            return problem(404, "QueueLogicalId: no queue " + from + " in the template");
        }
        String to = sourceQueueOf(from);
        if (to == null) {
            return problem(400, "QueueLogicalId: " + from + " is no queue's dead-letter queue");
        }
        var result = dev.ioserverless.local.ops.Redrive.move(sqs, queueUrl(from), queueUrl(to));
        ObjectNode reply = Json.object();
        reply.put("from", from);
        reply.put("to", to);
        reply.put("moved", result.moved());
        reply.put("failed", result.failed());
        return new LocalResponse(200, "application/json", Json.write(reply));
    }

    /** The queue whose dead letters end up in {@code queueLogicalId}, following RedrivePolicy up; null if none. */
    String sourceQueueOf(String queueLogicalId) {
        Map<String, String> sourceByTarget = new HashMap<>();
        for (var queue : stack.template().ofType(SamTemplate.QUEUE)) {
            Object policy = queue.property("RedrivePolicy");
            if (policy instanceof Map<?, ?> redrive && redrive.get("deadLetterTargetArn") != null) {
                String target = stack.queueLogicalIdByArn(stack.resolveString(redrive.get("deadLetterTargetArn")));
                sourceByTarget.put(target, queue.logicalId());
            }
        }
        // A subscription's dead letters belong to the queue it delivers to.
        for (var subscription : stack.template().ofType(SamTemplate.SUBSCRIPTION)) {
            Object policy = subscription.property("RedrivePolicy");
            if (policy instanceof Map<?, ?> redrive && redrive.get("deadLetterTargetArn") != null
                    && "sqs".equals(String.valueOf(subscription.property("Protocol")))) {
                sourceByTarget.putIfAbsent(stack.queueLogicalIdByArn(stack.resolveString(redrive.get("deadLetterTargetArn"))),
                        stack.queueLogicalIdByArn(stack.resolveString(subscription.property("Endpoint"))));
            }
        }
        String source = sourceByTarget.get(queueLogicalId);
        if (source == null) {
            return null;
        }
        while (sourceByTarget.containsKey(source)) {
            source = sourceByTarget.get(source);
        }
        return source;
    }

    /**
     * {@code POST /_local/citizen-token} with {@code {"fiscal_code", "name"?, "family_name"?,
     * "ttl_seconds"?}}: a token the citizen API accepts, as the identity provider would issue it
     * after a SPID login (the fiscal code in the claim the template names).
     */
    private LocalResponse citizenToken(String method, String path, Map<String, String> query, byte[] body) {
        if (!method.equals("POST") || !path.equals("citizen-token")) {
            return new LocalResponse(404, "application/json", "{\"message\":\"Not Found\"}");
        }
        if (citizenAuthorizer == null) {
            return problem(404, "the template has no HTTP API with a JWT authorizer");
        }
        com.fasterxml.jackson.databind.JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return problem(400, "body: expected a JSON object {\"fiscal_code\", \"name\"?, \"family_name\"?, \"ttl_seconds\"?}");
        }
        String fiscalCode = request.path("fiscal_code").asText("");
        if (!FiscalCode.isValid(fiscalCode)) {
            return problem(400, "fiscal_code: required, a valid fiscal code (16 characters, upper case)");
        }
        var ttl = request.path("ttl_seconds");
        if (!ttl.isMissingNode() && !(ttl.canConvertToInt() && ttl.isIntegralNumber() && ttl.asInt() >= 1 && ttl.asInt() <= 86_400)) {
            return problem(400, "ttl_seconds: must be an integer from 1 to 86400");
        }
        for (String field : List.of("name", "family_name")) {
            if (request.has(field) && !request.path(field).isTextual()) {
                return problem(400, field + ": must be a string");
            }
        }
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", fiscalCode);
        claims.put(citizenAuthorizer.fiscalCodeClaim(), fiscalCode);
        claims.put("name", request.path("name").asText("Mario"));
        claims.put("family_name", request.path("family_name").asText("Rossi"));
        String token = citizenTokens.issue(citizenAuthorizer.issuer(), citizenAuthorizer.audiences().get(0), claims,
                ttl.isMissingNode() ? 3600 : ttl.asInt());
        return new LocalResponse(200, "application/json", Json.write(Json.object().put("token", token)));
    }

    /** {@code GET /_local/push-deliveries?token=...}: the pushes delivered to one device, oldest first. */
    private LocalResponse pushDeliveries(String method, String path, Map<String, String> query, byte[] body) {
        if (!method.equals("GET") || !path.equals("push-deliveries")) {
            return new LocalResponse(404, "application/json", "{\"message\":\"Not Found\"}");
        }
        String token = query.get("token");
        if (token == null || token.isEmpty()) {
            return problem(400, "token: required, the device's push token");
        }
        var deliveries = Json.MAPPER.createArrayNode();
        for (SnsEmulator.PushDelivery delivery : snsEmulator != null ? snsEmulator.pushDeliveries(token)
                : externalPushes.pushDeliveries(token)) {
            ObjectNode item = deliveries.addObject();
            item.put("sns_message_id", delivery.messageId());
            item.put("platform", delivery.platform());
            item.put("endpoint_arn", delivery.endpointArn());
            item.put("delivered_at", delivery.deliveredAt().toString());
            item.set("payload", parseOrText(delivery.payload()));
        }
        ObjectNode reply = Json.object();
        reply.set("deliveries", deliveries);
        return new LocalResponse(200, "application/json", Json.write(reply));
    }

    private static com.fasterxml.jackson.databind.JsonNode parseOrText(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (java.io.IOException | RuntimeException e) {
            return Json.MAPPER.getNodeFactory().textNode(payload);
        }
    }

    private static LocalResponse problem(int status, String detail) {
        ObjectNode problem = Json.object();
        problem.put("type", "about:blank");
        problem.put("title", status == 404 ? "Not found" : status == 400 ? "Invalid request" : "Function failed");
        problem.put("status", status);
        problem.put("detail", detail);
        return new LocalResponse(status, "application/problem+json", Json.write(problem));
    }

    /**
     * The runtime all container functions share, made for the first one: the deployment artifact
     * is the template's {@code CodeUri}, relative to the template.
     */
    private ContainerRuntime containers(Path templatePath, FunctionSpec spec) throws IOException {
        if (containerRuntime == null) {
            if (spec.codeUri() == null) {
                throw new IllegalArgumentException(spec.logicalId() + " has no CodeUri: container mode runs the"
                        + " deployment artifact; run with --in-process");
            }
            Path base = templatePath.toAbsolutePath().getParent();
            Path jar = base.resolve(spec.codeUri()).normalize();
            containerRuntime = track(new ContainerRuntime(jar, ContainerRuntime.jarsIn(lambdaRuntimeDirectory()),
                    containerVariables(),
                    REGION, options.containers()));
        }
        return containerRuntime;
    }

    /**
     * Where the build put the Lambda runtime interface client and its libraries: beside the
     * platform's jar ({@code infra/target/lambda-runtime}), or beside its classes when run from the
     * build's output (tests).
     */
    static Path lambdaRuntimeDirectory() {
        try {
            Path location = Path.of(LocalPlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("lambda-runtime");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("infra", "target", "lambda-runtime");
        }
    }

    /** The container runtime of container mode; null in process mode. */
    public ContainerRuntime containerRuntime() {
        return containerRuntime;
    }

    /** The SNS emulator, for what it delivered to devices; null when an external endpoint serves SNS. */
    public SnsEmulator snsEmulator() {
        return snsEmulator;
    }

    /** Whether functions run in the platform's JVM (tests) rather than as Lambda runs them. */
    public boolean inProcess() {
        return options.inProcess();
    }

    private Map<String, String> withFunctionVariables(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>(environment);
        values.putAll(options.functionVariables());
        return values;
    }

    /** Exactly the function's template environment, plus what the Lambda runtime itself provides. */
    private Config configFor(FunctionSpec spec) {
        Map<String, String> values = new HashMap<>(spec.environment());
        values.putAll(options.functionVariables());
        values.putAll(runtimeVariables());
        values.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        values.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
        return Config.of(values).withClock(options.clock());
    }

    /** Region, credentials and the emulator endpoints, as any SDK client here needs them. */
    public Map<String, String> runtimeVariables() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWS_REGION", REGION);
        values.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        values.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        values.putAll(containerVariables());
        return values;
    }

    /**
     * What a container function gets besides the template's and Lambda's variables: the emulator
     * endpoints, under the names the SDK itself reads, and, with the platform's own S3, the SDK's
     * {@code AWS_REQUEST_CHECKSUM_CALCULATION=when_required}. S3Proxy refuses the SDK's default
     * upload (aws-chunked with a CRC32 trailer, {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER});
     * with checksums only where S3 requires them, the SDK signs the plain chunked upload it takes.
     */
    private Map<String, String> containerVariables() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
        values.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
        values.put("AWS_ENDPOINT_URL_SNS", snsEndpoint.toString());
        values.put("AWS_ENDPOINT_URL_SSM", ssmEmulator.endpoint().toString());
        values.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        values.put("AWS_ENDPOINT_URL_KMS", kmsEndpoint.toString());
        values.put("AWS_ENDPOINT_URL_SESV2", sesEndpoint.toString());
        if (s3Store != null) {
            values.put(S3_CHECKSUM_VARIABLE, "when_required");
        }
        return Map.copyOf(values);
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * The state directory holds demo.json (live keys, the callback secret) and persisted data: only
     * its owner may enter it (0700), whatever the umask, wherever the file system is POSIX.
     */
    static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static Path locateTemplate(Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IllegalArgumentException("template not found: " + explicit);
            }
            return explicit;
        }
        for (Path candidate : List.of(Path.of("template.yaml"), Path.of("..", "template.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("template.yaml not found in the working directory or its parent; "
                + "run from the repository root or pass --template");
    }

    private <T extends AutoCloseable> T track(T resource) {
        running.add(resource);
        return resource;
    }

    /** The workers of the Services API's gateway serving a request now: what a stalled client holds. */
    public int busyGatewayWorkers() {
        return gateway.busyWorkers();
    }

    public URI apiBaseUrl() {
        return URI.create("http://" + options.host() + ":" + port);
    }

    /** Where an HTTP API of the template listens ({@code http://host:port}, no path). */
    public URI apiBaseUrl(String apiLogicalId) {
        Integer apiPort = apiPorts.get(apiLogicalId);
        if (apiPort == null) {
            throw new IllegalArgumentException("no HTTP API " + apiLogicalId);
        }
        return URI.create("http://" + options.host() + ":" + apiPort);
    }

    /** The citizen API's base URL, {@code http://host:port/api/v1}, or null without one. */
    public URI citizenApiBaseUrl() {
        return citizenAuthorizer == null ? null : URI.create(apiBaseUrl(citizenAuthorizer.apiLogicalId()) + "/api/v1");
    }

    /** The local identity provider's signer, for tests that forge or mistime tokens on purpose. */
    public LocalJwt citizenTokenIssuer() {
        return citizenTokens;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI snsEndpoint() {
        return snsEndpoint;
    }

    public URI ssmEndpoint() {
        return ssmEmulator.endpoint();
    }

    /** Where S3 is served: the platform's S3Proxy, or the external endpoint. Path-style addressing. */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** Where KMS is served: the platform's emulator, or the external endpoint. */
    public URI kmsEndpoint() {
        return kmsEndpoint;
    }

    /** Where SES (v2) is served: the platform's emulator, or the external endpoint. */
    public URI sesEndpoint() {
        return sesEndpoint;
    }

    /** The platform's SES v2 client. */
    public SesV2Client ses() {
        return ses;
    }

    /** The embedded SES with its outbox; null when an external endpoint serves SES. */
    public SesEmulator sesEmulator() {
        return sesEmulator;
    }

    /** The platform's S3 client (identity {@code local}, path-style). */
    public S3Client s3() {
        return s3;
    }

    /** The platform's KMS client. */
    public KmsClient kms() {
        return kms;
    }

    /** The embedded S3 store; null when an external endpoint serves S3. */
    public S3Store s3Store() {
        return s3Store;
    }

    /** The embedded KMS; null when an external endpoint serves KMS. */
    public KmsEmulator kmsEmulator() {
        return kmsEmulator;
    }

    /** The expiration rules of the template's buckets, which {@code POST /_local/s3/lifecycle/run} applies. */
    public BucketLifecycle bucketLifecycle() {
        return bucketLifecycle;
    }

    /** The demo public body's remote-content server (base URL, auth header name and key). */
    public DemoRemoteContentServer remoteContent() {
        return remoteContent;
    }

    /** The Parameter Store emulator, where the platform keeps the secrets a deployment is given. */
    public SsmEmulator ssmEmulator() {
        return ssmEmulator;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public SnsClient sns() {
        return sns;
    }

    public Stack stack() {
        return stack;
    }

    /** The physical name of a template resource (table name, queue name, topic name). */
    public String physicalName(String logicalId) {
        return stack.physicalName(logicalId);
    }

    /** The URL of a template queue. */
    public String queueUrl(String logicalId) {
        return stack.resolveString(Map.of("Ref", logicalId));
    }

    /** A function of the template, as the platform runs it. */
    public LambdaFunction function(String logicalId) {
        LambdaFunction function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + logicalId);
        }
        return function;
    }

    /**
     * The configuration a function's handler is built with: for building a second instance of a
     * handler, as a second Lambda container would be.
     */
    /** The function as the template defines it. */
    public FunctionSpec functionSpec(String logicalId) {
        return function(logicalId).spec();
    }

    public Config functionConfig(String logicalId) {
        Config config = functionConfigs.get(logicalId);
        if (config == null) {
            throw new IllegalArgumentException("no function " + logicalId);
        }
        return config;
    }

    /**
     * A function's configuration for the platform's own tools and tests (seeding data, registering
     * a device): the function's, without the chaos switches of {@link Options#withFunctionVariables}.
     */
    public Config toolConfig(String logicalId) {
        Map<String, String> values = new HashMap<>(functionConfig(logicalId).asMap());
        options.functionVariables().keySet().forEach(values::remove);
        return Config.of(values).withClock(options.clock());
    }

    public java.util.Set<String> functionIds() {
        return java.util.Collections.unmodifiableSet(functions.keySet());
    }

    public Demo demo() {
        return demo;
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        apis.values().forEach(HttpGateway::close);
        // Every trigger stops polling at once; each then finishes the batch it holds.
        eventSources.forEach(SqsEventSource::stop);
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("io-local: stopping " + running.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        running.clear();
    }
}
