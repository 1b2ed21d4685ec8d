package dev.ioserverless.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.local.template.FunctionSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function: a JVM running AWS's Runtime Interface Client, and the
 * Lambda Runtime API it pulls invocations from ({@code /2018-06-01/runtime/...}, on its own
 * loopback port, as each Lambda sandbox has its own). It serves one invocation at a time. An
 * invocation past the function's {@code Timeout} ends the instance, as Lambda ends the sandbox;
 * so does a crash of the process, and the invocation in flight fails either way.
 */
final class ContainerInstance implements AutoCloseable {
    static {
        HttpServers.sendAtOnce();
    }

    private static final Log LOG = Log.platform("container-runtime");
    private static final String API = "/2018-06-01/runtime";

    private final FunctionSpec spec;
    private final String arn;
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final SynchronousQueue<Invocation> handoff = new SynchronousQueue<>();
    private final CompletableFuture<String> initFailure = new CompletableFuture<>();
    private Process process;
    /** The instance's own {@code /tmp}, as each Lambda sandbox has one; deleted with it. */
    private Path tmp;
    private volatile Invocation current;
    private volatile boolean alive = true;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long lastDurationNanos;
    /** Whether the runtime has polled once: its init is over. */
    private volatile boolean polled;

    /** Lambda's limit on an execution environment's init, apart from the function's timeout. */
    static final long INIT_LIMIT_MILLIS = 10_000;

    /** One invocation; its deadline runs from when the runtime takes it, after the init. */
    private record Invocation(String requestId, byte[] event, java.util.concurrent.atomic.AtomicLong deadlineMillis,
                              CompletableFuture<byte[]> result) {
    }

    private ContainerInstance(FunctionSpec spec, String arn) throws IOException {
        this.spec = spec;
        this.arn = arn;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.serverThreads = Executors.newFixedThreadPool(3, ContainerRuntime.daemon("runtime-api-" + spec.logicalId()));
        server.setExecutor(serverThreads);
        server.createContext(API + "/", this::serve);
        server.start();
    }

    static ContainerInstance start(ContainerRuntime runtime, FunctionSpec spec, String arn, Map<String, String> environment) {
        ContainerInstance instance;
        try {
            instance = new ContainerInstance(spec, arn);
        } catch (IOException e) {
            throw new LambdaFunction.InvocationFailure(spec.logicalId() + ": could not open its Runtime API", e);
        }
        String logStream = java.time.LocalDate.now() + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", "");
        try {
            instance.tmp = Files.createTempDirectory("io-local-" + spec.logicalId() + "-tmp");
        } catch (IOException e) {
            instance.close();
            throw new LambdaFunction.InvocationFailure(spec.logicalId() + ": could not make its /tmp", e);
        }
        ProcessBuilder builder = new ProcessBuilder(runtime.command(spec, instance.tmp));
        builder.environment().clear();
        builder.environment().putAll(runtime.environment(spec, environment,
                "127.0.0.1:" + instance.server.getAddress().getPort(), logStream));
        builder.redirectErrorStream(true);
        try {
            instance.process = builder.start();
        } catch (IOException e) {
            instance.close();
            throw new LambdaFunction.InvocationFailure(spec.logicalId() + ": could not start its runtime", e);
        }
        instance.pumpOutput();
        instance.process.onExit().thenRun(instance::exited);
        LOG.debug("instance_started", "function", spec.logicalId(), "pid", instance.pid());
        return instance;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean isAlive() {
        return alive && process != null && process.isAlive();
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** How long the last successful invocation ran, from the runtime's poll to its answer (Lambda's duration). */
    long lastDurationNanos() {
        return lastDurationNanos;
    }

    /**
     * Runs one invocation: hands the event to the runtime's next poll, waits for its answer. A new
     * instance has Lambda's 10 s for its init before it must poll; the function's {@code Timeout}
     * runs from the poll.
     */
    byte[] invoke(byte[] event) {
        long timeoutMillis = spec.timeoutSeconds() * 1000L;
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event,
                new java.util.concurrent.atomic.AtomicLong(), new CompletableFuture<>());
        current = invocation;   // before the hand-off, so a crash from here on fails it at once
        try {
            long pollBy = System.currentTimeMillis() + (polled ? timeoutMillis : INIT_LIMIT_MILLIS);
            boolean taken = false;
            while (!taken && isAlive() && System.currentTimeMillis() < pollBy && !initFailure.isDone()) {
                taken = handoff.offer(invocation, 50, TimeUnit.MILLISECONDS);
            }
            if (!taken) {
                String reason = initFailure.isDone() ? "init failed: " + initFailure.getNow("")
                        : !isAlive() ? "Runtime exited before it took the invocation"
                        : polled ? "the runtime did not poll within " + spec.timeoutSeconds() + " s"
                        : "init did not finish within Lambda's 10 s limit";
                kill();
                throw failure(reason, null);
            }
            polled = true;
            long started = System.nanoTime();
            long deadline = invocation.deadlineMillis().get() > 0 ? invocation.deadlineMillis().get()
                    : System.currentTimeMillis() + timeoutMillis;
            byte[] result = invocation.result().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            lastDurationNanos = System.nanoTime() - started;
            return result;
        } catch (TimeoutException e) {
            kill();
            throw failure("Task timed out after " + spec.timeoutSeconds() + " seconds", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw failure("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LambdaFunction.InvocationFailure f ? f : failure(e.getCause().getMessage(), e.getCause());
        } finally {
            current = null;
            lastUsedNanos = System.nanoTime();
        }
    }

    private LambdaFunction.InvocationFailure failure(String message, Throwable cause) {
        return new LambdaFunction.InvocationFailure(spec.logicalId() + ": " + message, cause);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(API.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("/invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("/invocation/") && path.endsWith("/response")) {
                complete(exchange, requestIdOf(path), body, null);
            } else if (method.equals("POST") && path.startsWith("/invocation/") && path.endsWith("/error")) {
                complete(exchange, requestIdOf(path), body,
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
            } else if (method.equals("POST") && (path.equals("/init/error") || path.equals("/restore/error"))) {
                initFailure.complete(errorSummary(body));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("/restore/next")) {
                // SnapStart: Lambda would snapshot here and answer on restore; locally the instance goes on at once.
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"unknown Runtime API route\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation = null;
        try {
            while (invocation == null && alive) {
                invocation = handoff.poll(250, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            reply(exchange, 500, "{\"errorMessage\":\"the instance is stopping\",\"errorType\":\"ServiceException\"}");
            return;
        }
        invocation.deadlineMillis().set(System.currentTimeMillis() + spec.timeoutSeconds() * 1000L);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(invocation.deadlineMillis().get()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", arn);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + invocation.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
    }

    private void complete(HttpExchange exchange, String requestId, byte[] body, String errorType) throws IOException {
        Invocation invocation = current;
        if (invocation == null || !invocation.requestId().equals(requestId)) {
            reply(exchange, 400, "{\"errorMessage\":\"no such invocation\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        if (errorType == null) {
            invocation.result().complete(body);
        } else {
            invocation.result().completeExceptionally(failure("failed: " + errorSummary(body), null));
        }
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String requestIdOf(String path) {
        String rest = path.substring("/invocation/".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    /** {@code errorType: errorMessage} of the runtime's error document; never its stack trace. */
    private static String errorSummary(byte[] body) {
        try {
            JsonNode error = Json.read(new String(body, StandardCharsets.UTF_8));
            return error.path("errorType").asText("Error") + ": " + error.path("errorMessage").asText("");
        } catch (RuntimeException e) {
            return "unreadable error document";
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The function's stdout and stderr are its log, as CloudWatch Logs gets them: each line to the platform's. */
    private void pumpOutput() {
        Thread pump = new Thread(() -> {
            try (InputStream out = process.getInputStream();
                 BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Log.line(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "log-" + spec.logicalId());
        pump.setDaemon(true);
        pump.start();
    }

    private void exited() {
        alive = false;
        Invocation invocation = current;
        if (invocation != null) {
            invocation.result().completeExceptionally(failure("Runtime exited with status " + process.exitValue()
                    + " during the invocation", null));
        }
    }

    private void kill() {
        alive = false;
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        kill();
        if (process != null) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop(0);
        serverThreads.shutdownNow();
        deleteTmp();
    }

    private void deleteTmp() {
        if (tmp == null) {
            return;
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: it is under the system's temporary directory
        }
    }
}
