package dev.ioserverless.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.LocalPlatform;
import dev.ioserverless.local.runtime.ContainerRuntime;
import dev.ioserverless.local.sns.SnsEmulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code java -jar infra/target/io-local.jar load [--rate R] [--duration S] [--warmup S] [--out FILE]}:
 * a sustained run at a fixed arrival rate (open loop: requests go out on a schedule, not when the
 * previous ones return) through the whole path, on the local platform as it runs by default (each
 * function in its own JVM with the runtime interface client). Every 10 s it records what was
 * submitted, accepted and refused, the submit latency, the queues' backlog, and the memory of the
 * platform's JVM and of the function JVMs; at the end it waits for every accepted message's push.
 * "Holds" means: no error, every push delivered, and a backlog that does not grow.
 */
public final class Load {
    private static final int MAX_IN_FLIGHT = 512;
    private static final Duration SAMPLE = Duration.ofSeconds(10);

    record Args(double rate, int durationSeconds, int warmupSeconds, Path out) {
        static Args parse(String[] argv) {
            double rate = 20;
            int duration = 300;
            int warmup = 20;
            Path out = Path.of("load-results.json");
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--rate" -> rate = Double.parseDouble(argv[++i]);
                    case "--duration" -> duration = Integer.parseInt(argv[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
                    case "--out" -> out = Path.of(argv[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]
                            + "; usage: load [--rate R] [--duration S] [--warmup S] [--out FILE]");
                }
            }
            if (rate <= 0 || duration <= 0 || warmup < 0) {
                throw new IllegalArgumentException("--rate and --duration must be positive, --warmup not negative");
            }
            return new Args(rate, duration, warmup, out);
        }
    }

    private final Args args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<Double> windowLatencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> allLatencies = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> errorKinds = ConcurrentHashMap.newKeySet();
    /** Accepted messages whose push the emulator recorded (read as the run goes: it keeps the latest 10,000). */
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private Bench.Fixture fixture;

    private Load(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path work = Files.createTempDirectory("io-load");
        ObjectNode results = new Load(args).run(work);
        Files.writeString(args.out(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
        System.out.println("load: wrote " + args.out().toAbsolutePath());
    }

    ObjectNode run(Path work) throws Exception {
        ContainerRuntime.Settings settings = ContainerRuntime.Settings.defaults()
                .withMaxInstances(Math.max(3, Runtime.getRuntime().availableProcessors()));
        ObjectNode results = Json.object();
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.defaults().withPort(0)
                .withStateDir(work.resolve("state")).withSchedules(false).withContainers(settings))) {
            Bench.Fixture fixture = Bench.fixture(platform, 200);
            this.fixture = fixture;
            results.set("machine", Bench.machine());
            results.put("rate_per_second", args.rate());
            results.put("duration_seconds", args.durationSeconds());
            results.put("warmup_seconds", args.warmupSeconds());
            String body = Bench.messageBody();
            // Warm-up: the same rate, not counted, so the run starts with its instances running.
            drive(platform, fixture, body, args.warmupSeconds(), null);
            awaitPushes(platform, fixture);
            accepted.clear();
            delivered.clear();
            allLatencies.clear();
            sent.set(0);
            refused.set(0);
            ArrayNode timeline = results.putArray("timeline");
            long started = System.nanoTime();
            drive(platform, fixture, body, args.durationSeconds(), timeline);
            double submitSeconds = (System.nanoTime() - started) / 1e9;
            // Drain: every accepted message's push, or 120 s without news.
            int delivered = awaitPushes(platform, fixture);
            double drainSeconds = (System.nanoTime() - started) / 1e9 - submitSeconds;
            ObjectNode summary = results.putObject("summary");
            summary.put("sent", sent.get());
            summary.put("accepted", accepted.size());
            summary.put("refused", refused.get());
            summary.put("delivered", delivered);
            summary.put("undelivered", accepted.size() - delivered);
            summary.put("achieved_submit_rate", Bench.round(accepted.size() / submitSeconds));
            summary.set("submit_latency_ms", Bench.percentiles(allLatencies));
            summary.put("drain_seconds_after_the_last_submit", Bench.round(drainSeconds));
            summary.put("holds", refused.get() == 0 && errorKinds.isEmpty() && delivered == accepted.size());
            ArrayNode errors = summary.putArray("errors");
            errorKinds.forEach(errors::add);
        }
        return results;
    }

    /** Sends at the rate for {@code seconds}; samples into {@code timeline} when given. */
    private void drive(LocalPlatform platform, Bench.Fixture fixture, String body, int seconds, ArrayNode timeline) {
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long intervalNanos = (long) (1e9 / args.rate());
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long nextSample = start + SAMPLE.toNanos();
        int windowSent = 0;
        int windowAcceptedBefore = accepted.size();
        URI base = platform.apiBaseUrl();
        for (long due = start; due < end; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                errorKinds.add("more than " + MAX_IN_FLIGHT + " requests in flight: the platform fell behind");
                refused.incrementAndGet();
                continue;
            }
            int index = sent.getAndIncrement();
            windowSent++;
            HttpRequest request = Bench.singleRequest(base, fixture, index, body);
            long sentAt = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                inFlight.release();
                double millis = (System.nanoTime() - sentAt) / 1e6;
                if (failure != null) {
                    errorKinds.add("submit failed: " + failure.getClass().getSimpleName());
                    refused.incrementAndGet();
                } else if (response.statusCode() != 201) {
                    errorKinds.add("submit answered " + response.statusCode());
                    refused.incrementAndGet();
                } else {
                    accepted.put(Json.read(response.body()).path("id").asText(), sentAt);
                    windowLatencies.add(millis);
                    allLatencies.add(millis);
                }
            });
            if (timeline != null && System.nanoTime() >= nextSample) {
                timeline.add(sample(platform, (System.nanoTime() - start) / 1e9, windowSent,
                        accepted.size() - windowAcceptedBefore));
                windowSent = 0;
                windowAcceptedBefore = accepted.size();
                nextSample += SAMPLE.toNanos();
            }
        }
        inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
        if (timeline != null) {
            timeline.add(sample(platform, (System.nanoTime() - start) / 1e9, windowSent, accepted.size() - windowAcceptedBefore));
        }
    }

    private ObjectNode sample(LocalPlatform platform, double at, int windowSent, int windowAccepted) {
        List<Double> latencies;
        synchronized (windowLatencies) {
            latencies = new ArrayList<>(windowLatencies);
            windowLatencies.clear();
        }
        ObjectNode point = Json.object();
        point.put("t_seconds", Math.round(at));
        point.put("sent", windowSent);
        point.put("accepted", windowAccepted);
        point.put("refused_total", refused.get());
        point.set("submit_latency_ms", Bench.percentiles(latencies));
        collectPushes(platform);
        point.put("delivered_total", delivered.size());
        point.put("backlog_message_created", backlog(platform, "MessageCreatedQueue"));
        point.put("backlog_push", backlog(platform, "PushNotificationsQueue"));
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        point.put("platform_heap_used_mb", heap.getUsed() / (1024 * 1024));
        point.put("function_jvms_rss_mb", childrenRssMb());
        return point;
    }

    private static int backlog(LocalPlatform platform, String queue) {
        Map<QueueAttributeName, String> attributes = platform.sqs().getQueueAttributes(b -> b.queueUrl(platform.queueUrl(queue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /** The resident memory of this JVM's child processes (the function runtimes), from /proc; -1 elsewhere. */
    private static long childrenRssMb() {
        long kb = 0;
        boolean any = false;
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        any = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or no /proc here
            }
        }
        return any ? kb / 1024 : -1;
    }

    private void collectPushes(LocalPlatform platform) {
        for (String token : fixture.tokens()) {
            for (SnsEmulator.PushDelivery push : platform.snsEmulator().pushDeliveries(token)) {
                String id = Json.read(push.payload()).path("message_id").asText();
                if (accepted.containsKey(id)) {
                    delivered.add(id);
                }
            }
        }
    }

    private int awaitPushes(LocalPlatform platform, Bench.Fixture fixture) {
        long lastProgress = System.nanoTime();
        while (delivered.size() < accepted.size() && System.nanoTime() - lastProgress < 120_000_000_000L) {
            int before = delivered.size();
            collectPushes(platform);
            if (delivered.size() > before) {
                lastProgress = System.nanoTime();
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        return delivered.size();
    }
}
