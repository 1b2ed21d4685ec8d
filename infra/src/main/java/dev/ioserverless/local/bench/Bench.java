package dev.ioserverless.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.LocalPlatform;
import dev.ioserverless.local.runtime.ContainerFunction;
import dev.ioserverless.local.runtime.ContainerRuntime;
import dev.ioserverless.local.runtime.LambdaFunction;
import dev.ioserverless.local.sns.SnsEmulator;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.InstallationRegistrar;
import dev.ioserverless.push.PushNotificationHandler;
import dev.ioserverless.services.ApiKeySlot;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@code java -jar infra/target/io-local.jar bench [--quick] [--out FILE] [--messages N]
 * [--cold-runs R] [--concurrency C]}: the platform's figures in container mode, written as JSON
 * ({@code bench-results.json} by default). See BENCHMARKS.md for what each figure means and the
 * price table's sources.
 *
 * <ul>
 *   <li>{@code cold_start}: per function, the median over R runs of a new instance's process start
 *       to the first response to its {@code events/} sample, beside a hello-world handler's;
 *   <li>{@code warm_latency_ms}: per function, p50 and p99 of its sample on a warm instance;
 *   <li>the single-submit path: N messages of about 1 KB to citizens with one device each, from C
 *       concurrent HTTP clients, submit and end-to-end (to the push recorded) rates and latencies,
 *       AWS requests per message by service and operation (SDK interceptors in every instance and
 *       on the platform's SQS client), DynamoDB units, Lambda usage and the cost per million;
 *   <li>the same for the batch path (100 messages a request), reported apart;
 *   <li>{@code max_heap_mb} per function and {@code errors}.
 * </ul>
 */
public final class Bench {
    /** Prices per unit in USD; see BENCHMARKS.md for the source and the region caveat. */
    static final String PRICES_AS_OF = "2026-12-03";
    static final double HTTP_API_PER_REQUEST = 1.00 / 1e6;
    static final double LAMBDA_PER_REQUEST = 0.20 / 1e6;
    static final double LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
    static final double DYNAMODB_PER_WRITE_UNIT = 0.625 / 1e6;
    static final double DYNAMODB_PER_READ_UNIT = 0.125 / 1e6;
    static final double SQS_PER_REQUEST = 0.40 / 1e6;
    static final double SNS_PER_PUBLISH = 0.50 / 1e6;
    static final double SNS_PER_MOBILE_PUSH = 0.50 / 1e6;

    private final Args args;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int errors;

    record Args(boolean quick, Path out, int messages, int coldRuns, int warmRuns, int concurrency) {
        static Args parse(String[] argv) {
            boolean quick = false;
            Path out = Path.of("bench-results.json");
            Integer messages = null;
            Integer coldRuns = null;
            Integer warmRuns = null;
            int concurrency = 16;
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--quick" -> quick = true;
                    case "--out" -> out = Path.of(argv[++i]);
                    case "--messages" -> messages = Integer.parseInt(argv[++i]);
                    case "--cold-runs" -> coldRuns = Integer.parseInt(argv[++i]);
                    case "--warm-runs" -> warmRuns = Integer.parseInt(argv[++i]);
                    case "--concurrency" -> concurrency = Integer.parseInt(argv[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]
                            + "; usage: bench [--quick] [--out FILE] [--messages N] [--cold-runs R] [--warm-runs W]"
                            + " [--concurrency C]");
                }
            }
            return new Args(quick, out, messages != null ? messages : quick ? 1_000 : 10_000,
                    coldRuns != null ? coldRuns : quick ? 3 : 5, warmRuns != null ? warmRuns : quick ? 10 : 100, concurrency);
        }
    }

    private Bench(Args args, Path work) {
        this.args = args;
        this.work = work;
    }

    public static void main(String[] argv) throws Exception {
        run(argv);
    }

    /** Runs the benchmark and writes its JSON; answers it too. */
    public static JsonNode run(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path work = Files.createTempDirectory("io-bench");
        ObjectNode results = new Bench(args, work).run();
        Files.writeString(args.out(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
        System.out.println("bench: wrote " + args.out().toAbsolutePath());
        return results;
    }

    ObjectNode run() throws Exception {
        Path counters = Files.createDirectories(work.resolve("counters"));
        Path agent = agentJar(work.resolve("bench-agent.jar"));
        ContainerRuntime.Settings settings = ContainerRuntime.Settings.defaults()
                .withMaxInstances(Math.max(3, Runtime.getRuntime().availableProcessors()))
                .withBenchInstrumentation(List.of(agent), List.of("-Dio.bench.dir=" + counters));
        long started = System.nanoTime();
        ObjectNode results = Json.object();
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.defaults().withPort(0)
                .withStateDir(work.resolve("state")).withSchedules(false).withContainers(settings)
                .withPlatformSqsInterceptors(List.of(new CallCounter())))) {
            results.put("machine", machine());
            results.put("mode", args.quick() ? "quick" : "full");
            results.put("messages", args.messages());
            coldStarts(platform, results);
            warmLatency(platform, results);
            Fixture fixture = fixture(platform, Math.min(args.messages(), 200));
            // Steady state, as a running service has it: instances of the path started and warm.
            path(platform, fixture, counters, false, Math.min(args.messages(), 4 * args.concurrency()));
            results.set("single_submit", path(platform, fixture, counters, false, args.messages()));
            // The batch path carries the same messages 100 a request; the quick run sends two requests.
            int batchMessages = args.quick() ? Math.min(args.messages(), 200) : args.messages();
            path(platform, fixture, counters, true, Math.min(batchMessages, 100));
            results.set("batch_submit", path(platform, fixture, counters, true, batchMessages));
            results.set("max_heap_mb", maxHeap(counters, platform));
            ObjectNode single = (ObjectNode) results.get("single_submit");
            results.put("cost_usd_per_million_messages", single.path("cost_usd_per_million_messages").path("total").asDouble());
            results.put("aws_requests_per_message", single.path("aws_requests_per_message").path("total").asDouble());
            for (String key : List.of("submit_messages_per_second", "e2e_messages_per_second")) {
                results.put(key, single.path(key).asDouble());
            }
            results.set("submit_latency_ms", single.path("submit_latency_ms"));
            results.set("e2e_latency_ms", single.path("e2e_latency_ms"));
        }
        results.put("errors", errors);
        results.put("prices", prices());
        results.put("elapsed_seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        return results;
    }

    // ------------------------------------------------------------------ cold starts

    private void coldStarts(LocalPlatform platform, ObjectNode results) throws Exception {
        ContainerRuntime runtime = platform.containerRuntime();
        Path helloJar = helloJar(work.resolve("hello.jar"));
        ObjectNode cold = results.putObject("cold_start");
        double helloMs;
        try (ContainerRuntime helloRuntime = new ContainerRuntime(helloJar, runtime.runtimeClasspath(), runtime.endpoints(),
                LocalPlatform.REGION, ContainerRuntime.Settings.defaults())) {
            FunctionSpec hello = new FunctionSpec("HelloWorld", "io-bench-hello", HelloHandler.class.getName(),
                    "handleRequest", 10, 1024, Map.of(), List.of(), List.of(), List.of(), "hello.jar", true);
            helloMs = median(coldRuns(() -> helloRuntime.function(hello, arn("io-bench-hello"), Map.of()), "{}"));
        }
        double ratioMax = 0;
        for (String id : platform.functionIds()) {
            FunctionSpec spec = platform.functionSpec(id);
            String sample = sample(id);
            double ms = median(coldRuns(() -> runtime.function(spec, arn(spec.functionName()), spec.environment()), sample));
            ObjectNode entry = cold.putObject(id);
            entry.put("ms", round(ms));
            entry.put("hello_world_ms", round(helloMs));
            entry.put("ratio", round(ms / helloMs));
            ratioMax = Math.max(ratioMax, ms / helloMs);
        }
        results.put("cold_start_ratio_max", round(ratioMax));
        results.put("hello_world_cold_start_ms", round(helloMs));
    }

    private List<Double> coldRuns(java.util.function.Supplier<ContainerFunction> fresh, String event) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < args.coldRuns(); i++) {
            ContainerFunction function = fresh.get();
            long start = System.nanoTime();
            try {
                function.invokeJson(event);
                runs.add((System.nanoTime() - start) / 1e6);
            } catch (LambdaFunction.InvocationFailure e) {
                errors++;
                System.err.println("bench: cold start of " + function.spec().logicalId() + " failed: " + e.getMessage());
            } finally {
                function.close();
            }
        }
        return runs;
    }

    // ------------------------------------------------------------------ warm latency

    private void warmLatency(LocalPlatform platform, ObjectNode results) throws IOException {
        ObjectNode warm = results.putObject("warm_latency_ms");
        for (String id : platform.functionIds()) {
            LambdaFunction function = platform.function(id);
            String sample = sample(id);
            List<Double> samples = new ArrayList<>();
            for (int i = 0; i < args.warmRuns() + 3; i++) {
                long start = System.nanoTime();
                try {
                    function.invokeJson(sample);
                } catch (LambdaFunction.InvocationFailure e) {
                    errors++;
                    continue;
                }
                if (i >= 3) {
                    samples.add((System.nanoTime() - start) / 1e6);
                }
            }
            warm.set(id, percentiles(samples));
        }
    }

    // ------------------------------------------------------------------ the message paths

    /** A service without rate-limit pressure, and citizens with a profile and one device each. */
    record Fixture(String apiKey, List<String> citizens, List<String> tokens) {
    }

    static Fixture fixture(LocalPlatform platform, int count) {
        String serviceId = "bench-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString().replace("-", "");
        DynamoServiceStore services = new DynamoServiceStore(platform.dynamoDb(),
                platform.physicalName("ServicesTable"), platform.physicalName("ApiKeysTable"));
        services.save(new Service(serviceId, "Bench service", "Bench department", "Comune di Bench", "01234567890",
                EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead), Set.of(), List.of(), 0, 1_000_000));
        services.saveApiKey(serviceId, ApiKeySlot.PRIMARY, key);
        DynamoProfileStore profiles = new DynamoProfileStore(platform.dynamoDb(), platform.physicalName("ProfilesTable"));
        InstallationRegistrar registrar = new InstallationRegistrar(
                new DynamoInstallationStore(platform.dynamoDb(), platform.physicalName("InstallationsTable")),
                PushNotificationHandler.pushEndpoints(platform.toolConfig("PushNotificationFunction")), Clock.systemUTC());
        List<String> citizens = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String citizen = fiscalCode(i);
            profiles.save(new Profile(citizen, true, 4, List.of("it_IT"), ServicePreferencesMode.AUTO, 1, Map.of(), now, now, 1));
            String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
            registrar.register(citizen, "bench-device-" + i, "apns", token);
            citizens.add(citizen);
            tokens.add(token);
        }
        return new Fixture(key, citizens, tokens);
    }

    /** A distinct fiscal code, in the valid format, for the i-th bench citizen. */
    static String fiscalCode(int i) {
        String letters = "BCDFGHLMNPRSTVZ";
        String body = "BNC" + letters.charAt(i % 15) + letters.charAt((i / 15) % 15) + letters.charAt((i / 225) % 15)
                + String.format("%02d", 50 + (i / 3375) % 40) + "A01H501";
        return body + "X";
    }

    private ObjectNode path(LocalPlatform platform, Fixture fixture, Path counters, boolean batch, int n) throws Exception {
        Map<Long, JsonNode> before = readCounters(counters);
        Map<String, Long> platformBefore = CallCounter.calls();
        List<Double> platformUnitsBefore = CallCounter.units();
        Map<String, ContainerFunction.Usage> usageBefore = usage(platform);
        long pathStartMillis = System.currentTimeMillis();

        String body = messageBody();
        Map<String, Long> submitStarted = new ConcurrentHashMap<>();
        List<Double> submitLatencies = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(args.concurrency());
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        URI base = platform.apiBaseUrl();
        long first = System.nanoTime();
        int perRequest = batch ? 100 : 1;
        for (int i = 0; i < n; i += perRequest) {
            int from = i;
            inFlight.acquire();
            long start = System.nanoTime();
            HttpRequest request = batch ? batchRequest(base, fixture, from, Math.min(n, from + perRequest), body)
                    : singleRequest(base, fixture, from, body);
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                inFlight.release();
                long end = System.nanoTime();
                if (failure != null) {
                    countError("submit failed: " + failure);
                    return null;
                }
                for (String id : acceptedIds(response, batch)) {
                    submitStarted.put(id, start);
                }
                submitLatencies.add((end - start) / 1e6);
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        long submitted = System.nanoTime();

        // The end: every accepted message's push recorded on its citizen's device.
        Map<String, Instant> delivered = new HashMap<>();
        long lastProgress = System.nanoTime();
        // Until every push is in, or nothing new arrived for 30 s (what is missing then counts as
        // errors). The emulator keeps the latest deliveries only, so each round reads them all, by id.
        while (delivered.size() < submitStarted.size() && System.nanoTime() - lastProgress < 30_000_000_000L) {
            for (String token : fixture.tokens()) {
                for (SnsEmulator.PushDelivery push : platform.snsEmulator().pushDeliveries(token)) {
                    if (push.deliveredAt().toEpochMilli() < pathStartMillis) {
                        continue;
                    }
                    String id = Json.read(push.payload()).path("message_id").asText();
                    if (submitStarted.containsKey(id) && delivered.putIfAbsent(id, push.deliveredAt()) == null) {
                        lastProgress = System.nanoTime();
                    }
                }
            }
            Thread.sleep(100);
        }
        if (delivered.size() < submitStarted.size()) {
            countError((submitStarted.size() - delivered.size()) + " messages never reached a device");
        }
        Thread.sleep(700);   // the instances' counters are written every 200 ms
        long wallStartMillis = System.currentTimeMillis() - (System.nanoTime() - first) / 1_000_000;
        List<Double> e2e = new ArrayList<>();
        long lastDelivered = 0;
        for (Map.Entry<String, Instant> push : delivered.entrySet()) {
            Long start = submitStarted.get(push.getKey());
            if (start == null) {
                continue;
            }
            long startMillis = wallStartMillis + (start - first) / 1_000_000;
            e2e.add((double) (push.getValue().toEpochMilli() - startMillis));
            lastDelivered = Math.max(lastDelivered, push.getValue().toEpochMilli() - wallStartMillis);
        }

        ObjectNode out = Json.object();
        out.put("messages", n);
        out.put("accepted", submitStarted.size());
        out.put("delivered", delivered.size());
        out.put("submit_messages_per_second", round(submitStarted.size() / ((submitted - first) / 1e9)));
        out.put("e2e_messages_per_second", lastDelivered == 0 ? 0 : round(delivered.size() / (lastDelivered / 1e3)));
        out.set(batch ? "submit_request_latency_ms" : "submit_latency_ms", percentiles(submitLatencies));
        out.set("e2e_latency_ms", percentiles(e2e));

        Map<String, Double> perMessage = new TreeMap<>();
        double[] units = new double[2];
        countersDelta(before, readCounters(counters), perMessage, units);
        CallCounter.calls().forEach((op, count) -> perMessage.merge(op, (double) (count - platformBefore.getOrDefault(op, 0L)), Double::sum));
        List<Double> platformUnits = CallCounter.units();
        units[0] += platformUnits.get(0) - platformUnitsBefore.get(0);
        units[1] += platformUnits.get(1) - platformUnitsBefore.get(1);
        int accepted = Math.max(1, submitStarted.size());
        ObjectNode requests = out.putObject("aws_requests_per_message");
        double total = 0;
        ObjectNode byOperation = requests.putObject("by_operation");
        for (Map.Entry<String, Double> op : perMessage.entrySet()) {
            if (op.getValue() > 0) {
                byOperation.put(op.getKey(), round(op.getValue() / accepted));
                total += op.getValue();
            }
        }
        requests.put("total", round(total / accepted));
        out.put("dynamodb_read_units_per_message", round(units[0] / accepted));
        out.put("dynamodb_write_units_per_message", round(units[1] / accepted));

        ObjectNode lambda = out.putObject("lambda_per_message");
        double invocations = 0;
        double gbSeconds = 0;
        for (Map.Entry<String, ContainerFunction.Usage> after : usage(platform).entrySet()) {
            ContainerFunction.Usage was = usageBefore.get(after.getKey());
            long calls2 = after.getValue().invocations() - was.invocations();
            long millis = after.getValue().billedMillis() - was.billedMillis();
            if (calls2 == 0) {
                continue;
            }
            int memory = platform.functionSpec(after.getKey()).memoryMb();
            ObjectNode fn = lambda.putObject(after.getKey());
            fn.put("invocations", round((double) calls2 / accepted));
            fn.put("billed_ms", round((double) millis / accepted));
            fn.put("memory_mb", memory);
            invocations += calls2;
            gbSeconds += millis / 1000.0 * memory / 1024.0;
        }
        double httpRequests = batch ? Math.ceil(n / 100.0) : n;
        ObjectNode cost = out.putObject("cost_usd_per_million_messages");
        double million = 1e6 / accepted;
        double apiCost = httpRequests * HTTP_API_PER_REQUEST * million;
        double lambdaRequests = invocations * LAMBDA_PER_REQUEST * million;
        double lambdaCompute = gbSeconds * LAMBDA_ARM_PER_GB_SECOND * million;
        double dynamo = (units[1] * DYNAMODB_PER_WRITE_UNIT + units[0] * DYNAMODB_PER_READ_UNIT) * million;
        double sqsRequests = perMessage.entrySet().stream().filter(e -> e.getKey().toUpperCase().startsWith("SQS."))
                .mapToDouble(Map.Entry::getValue).sum();
        double sqs = sqsRequests * SQS_PER_REQUEST * million;
        double publishes = perMessage.getOrDefault("Sns.Publish", 0.0) + perMessage.getOrDefault("Sns.PublishBatch", 0.0);
        double pushes = perMessage.getOrDefault("Sns.Publish.mobilePush", 0.0);
        double sns = (publishes * SNS_PER_PUBLISH + pushes * SNS_PER_MOBILE_PUSH) * million;
        cost.put("http_api", round(apiCost));
        cost.put("lambda_requests", round(lambdaRequests));
        cost.put("lambda_gb_seconds", round(lambdaCompute));
        cost.put("dynamodb", round(dynamo));
        cost.put("sqs", round(sqs));
        cost.put("sns", round(sns));
        cost.put("total", round(apiCost + lambdaRequests + lambdaCompute + dynamo + sqs + sns));
        return out;
    }

    static HttpRequest singleRequest(URI base, Fixture fixture, int i, String body) {
        String citizen = fixture.citizens().get(i % fixture.citizens().size());
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/messages/" + citizen))
                .header("Ocp-Apim-Subscription-Key", fixture.apiKey()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest batchRequest(URI base, Fixture fixture, int from, int to, String body) {
        StringBuilder messages = new StringBuilder("{\"messages\":[");
        for (int i = from; i < to; i++) {
            String citizen = fixture.citizens().get(i % fixture.citizens().size());
            messages.append(i == from ? "" : ",").append("{\"fiscal_code\":\"").append(citizen).append("\",")
                    .append(body, 1, body.length());
        }
        messages.append("]}");
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/messages/batch"))
                .header("Ocp-Apim-Subscription-Key", fixture.apiKey()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(messages.toString())).build();
    }

    private List<String> acceptedIds(HttpResponse<String> response, boolean batch) {
        List<String> ids = new ArrayList<>();
        int expected = batch ? 200 : 201;
        if (response.statusCode() != expected && !(batch && response.statusCode() == 207)) {
            countError("submit answered " + response.statusCode() + ": " + response.body());
            return ids;
        }
        JsonNode body = Json.read(response.body());
        if (!batch) {
            ids.add(body.path("id").asText());
            return ids;
        }
        for (JsonNode result : body.path("results")) {
            if (result.path("status").asInt() == 201) {
                ids.add(result.path("id").asText());
            } else {
                countError("batch item answered " + result.path("status").asInt());
            }
        }
        return ids;
    }

    /** About 1 KB of content. */
    static String messageBody() {
        String markdown = ("Gentile cittadino, è disponibile l'avviso di pagamento della TARI per l'anno 2026. "
                + "Puoi pagarlo entro la scadenza indicata presso gli sportelli abilitati o in app. ").repeat(6);
        return "{\"content\":{\"subject\":\"Avviso di pagamento TARI 2026\",\"markdown\":\"" + markdown + "\"}}";
    }

    private synchronized void countError(String what) {
        errors++;
        if (errors <= 10) {
            System.err.println("bench: " + what);
        }
    }

    // ------------------------------------------------------------------ counters

    private static Map<Long, JsonNode> readCounters(Path dir) throws IOException {
        Map<Long, JsonNode> out = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("calls-\\d+\\.json")).toList()) {
                String name = file.getFileName().toString();
                out.put(Long.parseLong(name.substring(6, name.length() - 5)), Json.read(Files.readString(file)));
            }
        }
        return out;
    }

    private static void countersDelta(Map<Long, JsonNode> before, Map<Long, JsonNode> after, Map<String, Double> calls,
                                      double[] units) {
        for (Map.Entry<Long, JsonNode> instance : after.entrySet()) {
            JsonNode was = before.get(instance.getKey());
            instance.getValue().path("calls").fields().forEachRemaining(op -> calls.merge(op.getKey(),
                    op.getValue().asDouble() - (was == null ? 0 : was.path("calls").path(op.getKey()).asDouble()), Double::sum));
            units[0] += instance.getValue().path("dynamodb_read_units").asDouble()
                    - (was == null ? 0 : was.path("dynamodb_read_units").asDouble());
            units[1] += instance.getValue().path("dynamodb_write_units").asDouble()
                    - (was == null ? 0 : was.path("dynamodb_write_units").asDouble());
        }
    }

    private static ObjectNode maxHeap(Path counters, LocalPlatform platform) throws IOException {
        Map<String, String> byName = new HashMap<>();
        for (String id : platform.functionIds()) {
            byName.put(platform.functionSpec(id).functionName(), id);
        }
        Map<String, Long> max = new TreeMap<>();
        for (JsonNode instance : readCounters(counters).values()) {
            String id = byName.get(instance.path("function").asText());
            if (id != null) {
                max.merge(id, instance.path("max_heap_bytes").asLong(), Math::max);
            }
        }
        ObjectNode out = Json.object();
        max.forEach((id, bytes) -> out.put(id, Math.round(bytes / 1048576.0)));
        return out;
    }

    private static Map<String, ContainerFunction.Usage> usage(LocalPlatform platform) {
        Map<String, ContainerFunction.Usage> out = new LinkedHashMap<>();
        for (String id : platform.functionIds()) {
            if (platform.function(id) instanceof ContainerFunction function) {
                out.put(id, function.usage());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /** The function's first sample in {@code events/}. */
    private static String sample(String logicalId) throws IOException {
        for (Path dir : List.of(Path.of("events"), Path.of("..", "events"))) {
            Path file = dir.resolve(logicalId + ".json");
            if (Files.isRegularFile(file)) {
                return Files.readString(file);
            }
        }
        throw new IllegalStateException("no events/" + logicalId + ".json: run from the repository's root");
    }

    private static String arn(String functionName) {
        return "arn:aws:lambda:" + LocalPlatform.REGION + ":" + LocalPlatform.ACCOUNT_ID + ":function:" + functionName;
    }

    /** A jar with only the hello-world handler: its own deployment artifact. */
    private static Path helloJar(Path out) throws IOException {
        return jarOf(out, List.of(HelloHandler.class), null);
    }

    /** The counting interceptor, registered as an SDK global interceptor by the file the SDK looks for. */
    private static Path agentJar(Path out) throws IOException {
        return jarOf(out, List.of(CallCounter.class), CallCounter.class.getName());
    }

    private static Path jarOf(Path out, List<Class<?>> classes, String globalInterceptor) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out))) {
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
            if (globalInterceptor != null) {
                jar.putNextEntry(new JarEntry("software/amazon/awssdk/global/handlers/execution.interceptors"));
                jar.write((globalInterceptor + "\n").getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return out;
    }

    static ObjectNode percentiles(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        ObjectNode out = Json.object();
        out.put("p50", round(percentile(sorted, 0.50)));
        out.put("p99", round(percentile(sorted, 0.99)));
        out.put("samples", sorted.size());
        return out;
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double median(List<Double> runs) {
        List<Double> sorted = new ArrayList<>(runs);
        Collections.sort(sorted);
        return percentile(sorted, 0.5);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    static ObjectNode machine() {
        ObjectNode out = Json.object();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return out;
    }

    private static ObjectNode prices() {
        ObjectNode out = Json.object();
        out.put("as_of", PRICES_AS_OF);
        out.put("region", "eu-south-1 (figures: the AWS list prices in US dollars used for it; see BENCHMARKS.md)");
        out.put("http_api_per_million", HTTP_API_PER_REQUEST * 1e6);
        out.put("lambda_per_million_requests", LAMBDA_PER_REQUEST * 1e6);
        out.put("lambda_arm_per_gb_second", LAMBDA_ARM_PER_GB_SECOND);
        out.put("dynamodb_per_million_write_units", DYNAMODB_PER_WRITE_UNIT * 1e6);
        out.put("dynamodb_per_million_read_units", DYNAMODB_PER_READ_UNIT * 1e6);
        out.put("sqs_per_million_requests", SQS_PER_REQUEST * 1e6);
        out.put("sns_per_million_publishes", SNS_PER_PUBLISH * 1e6);
        out.put("sns_per_million_mobile_pushes", SNS_PER_MOBILE_PUSH * 1e6);
        return out;
    }
}
