package dev.ioserverless.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestPlatform;
import dev.ioserverless.local.runtime.handlers.ProbeHandler;
import dev.ioserverless.local.template.FunctionSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functions in container mode, as Lambda runs them: a JVM per instance with the deployment
 * artifact and AWS's runtime interface client, the Runtime API, container credentials, the
 * environment, the heap bound, the timeout, crashes, concurrency and reaping. The deployment
 * artifact here is a jar of one probe handler, built for the test.
 */
class ContainerRuntimeIT {
    private static final String REGION = "eu-south-1";
    private static ContainerRuntime runtime;
    private static Path jar;

    @BeforeAll
    static void start() throws IOException {
        jar = probeJar();
        List<Path> ric = ContainerRuntime.jarsIn(Path.of("target", "lambda-runtime"));
        assertFalse(ric.isEmpty(), "the build copies the runtime interface client to target/lambda-runtime");
        runtime = new ContainerRuntime(jar, ric, Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9"), REGION,
                ContainerRuntime.Settings.defaults().withMaxInstances(2).withIdleTimeout(Duration.ofMillis(300)));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** A jar holding only the probe handler's class, as a deployment artifact. */
    private static Path probeJar() throws IOException {
        Path dir = Files.createTempDirectory("probe-artifact");
        Path out = dir.resolve("probe.jar");
        String entry = ProbeHandler.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(out));
             var classBytes = ProbeHandler.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classBytes.transferTo(jarOut);
            jarOut.closeEntry();
        }
        return out;
    }

    private static FunctionSpec spec(String name, int timeoutSeconds, int memoryMb, Map<String, String> environment) {
        return new FunctionSpec(name, "io-test-" + name, ProbeHandler.class.getName(), "handleRequest", timeoutSeconds,
                memoryMb, environment, List.of(), List.of(), List.of(), "probe.jar", true);
    }

    private static ContainerFunction function(String name, int timeoutSeconds, Map<String, String> environment) {
        return runtime.function(spec(name, timeoutSeconds, 256, environment),
                "arn:aws:lambda:" + REGION + ":000000000000:function:io-test-" + name, environment);
    }

    private static JsonNode call(ContainerFunction function, String event) {
        return Json.read(function.invokeJson(event));
    }

    @Test
    void theInstanceSeesExactlyTheTemplateEnvironmentLambdasVariablesAndContainerCredentialsNeverAccessKeys() {
        ContainerFunction function = function("Report", 10, Map.of("TABLE", "t1",
                "JAVA_TOOL_OPTIONS", "-Dprobe.property=honoured"));
        JsonNode report = call(function, "{\"action\":\"report\",\"echo\":\"é ok\"}");

        Set<String> environment = new HashSet<>();
        report.path("environment").forEach(name -> environment.add(name.asText()));
        assertEquals(Set.of("TABLE", "JAVA_TOOL_OPTIONS", "_HANDLER", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
                "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION",
                "AWS_DEFAULT_REGION", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "LANG", "TZ", "PATH", "AWS_ENDPOINT_URL_DYNAMODB"), environment,
                "nothing of the platform's own environment, and no access-key variables");
        JsonNode credentials = Json.read(report.path("credentials").asText());
        assertEquals(ContainerRuntime.ACCESS_KEY, credentials.path("AccessKeyId").asText());
        assertTrue(credentials.hasNonNull("Token") && credentials.hasNonNull("Expiration"));
        assertEquals("honoured", report.path("probe_property").asText(), "JAVA_TOOL_OPTIONS reaches the JVM");
        long heap = report.path("max_heap_mb").asLong();
        assertTrue(heap <= 256 * 85 / 100 && heap >= 256 / 2, "the heap is bounded by MemorySize: " + heap + " MB");
        assertEquals("é ok", report.path("echo").asText(), "the event arrives intact");
        assertEquals("arn:aws:lambda:eu-south-1:000000000000:function:io-test-Report", report.path("function_arn").asText());
        assertTrue(report.path("remaining_ms").asLong() > 0 && report.path("remaining_ms").asLong() <= 10_000,
                "the deadline is the function's timeout");
        function.close();
    }

    @Test
    void theCredentialsEndpointAnswersOnlyWithTheInstancesToken() throws Exception {
        ContainerFunction function = function("Token", 10, Map.of());
        JsonNode report = call(function, "{\"action\":\"report\"}");
        assertTrue(report.path("credentials").asText().contains("AccessKeyId"));
        String uri = credentialsUri(function);
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(uri)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), "without the token: refused");
        function.close();
    }

    private static String credentialsUri(ContainerFunction function) {
        return runtime.environment(function.spec(), Map.of(), "x", "y").get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    }

    @Test
    void aHandlerErrorFailsTheInvocationAndTheInstanceServesTheNextOne() {
        ContainerFunction function = function("Throw", 10, Map.of());
        LambdaFunction.InvocationFailure failure = assertThrows(LambdaFunction.InvocationFailure.class,
                () -> call(function, "{\"action\":\"throw\"}"));
        assertTrue(failure.getMessage().contains("IllegalStateException") && failure.getMessage().contains("asked to fail"),
                failure.getMessage());
        List<Long> before = function.pids();
        assertEquals("next", call(function, "{\"action\":\"report\",\"echo\":\"next\"}").path("echo").asText());
        assertEquals(before, function.pids(), "the same instance, still warm");
        function.close();
    }

    @Test
    void anInvocationPastItsTimeoutEndsTheInstanceAndTheNextOneStartsAfresh() {
        ContainerFunction function = function("Hang", 1, Map.of());
        call(function, "{\"action\":\"report\"}");   // warm, so the timeout is the invocation's alone
        long first = function.pids().get(0);
        LambdaFunction.InvocationFailure failure = assertThrows(LambdaFunction.InvocationFailure.class,
                () -> call(function, "{\"action\":\"hang\"}"));
        assertTrue(failure.getMessage().contains("Task timed out after 1 seconds"), failure.getMessage());
        assertEquals(0, function.instances(), "the timed-out instance is gone");
        assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), "its process was ended");
        call(function, "{\"action\":\"report\"}");
        assertNotEquals(first, function.pids().get(0));
        function.close();
    }

    @Test
    void aRuntimeThatExitsFailsItsInvocationAndIsReplaced() {
        ContainerFunction function = function("Exit", 10, Map.of());
        LambdaFunction.InvocationFailure failure = assertThrows(LambdaFunction.InvocationFailure.class,
                () -> call(function, "{\"action\":\"exit\"}"));
        assertTrue(failure.getMessage().contains("Runtime exited"), failure.getMessage());
        assertEquals("y", call(function, "{\"action\":\"report\",\"echo\":\"y\"}").path("echo").asText());
        function.close();
    }

    @Test
    void overlappingInvocationsGetAnInstanceEachUpToTheBoundAndIdleOnesAreReaped() throws Exception {
        ContainerFunction function = function("Gate", 20, Map.of());
        Path gate = Files.createTempDirectory("gate");
        String event = "{\"action\":\"gate\",\"dir\":" + Json.MAPPER.writeValueAsString(gate.toString()) + "}";
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> function.invokeJson(event)));
        }
        TestPlatform.await(() -> entered(gate) == 2, Duration.ofSeconds(20), "two invocations inside the handler");
        assertEquals(2, function.instances(), "the bound: the third invocation waits for an instance");
        Files.writeString(gate.resolve("open"), "");
        for (CompletableFuture<String> call : calls) {
            assertTrue(Json.read(call.get()).path("passed").asBoolean());
        }
        assertEquals(3, entered(gate));
        assertEquals(2, function.instances(), "the third ran on a warm instance");
        TestPlatform.await(() -> function.instances() == 0, Duration.ofSeconds(10), "idle instances reaped");
        function.close();
    }

    private static long entered(Path gate) {
        try (var files = Files.list(gate)) {
            return files.filter(f -> f.getFileName().toString().startsWith("entered-")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
