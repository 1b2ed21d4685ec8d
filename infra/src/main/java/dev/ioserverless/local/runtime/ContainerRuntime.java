package dev.ioserverless.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.local.template.FunctionSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * What the platform's functions run on in container mode, as Lambda's {@code java21} runtime runs
 * them: per instance a JVM of its own with the deployment artifact and AWS's Runtime Interface
 * Client as its only class path, the Lambda Runtime API to pull invocations from, and
 * credentials only from a container credentials endpoint, as SnapStart functions get them.
 *
 * @param functionsJar the deployment artifact ({@code CodeUri})
 * @param runtimeClasspath the runtime interface client and its libraries (Lambda's {@code /var/runtime/lib})
 * @param endpoints the emulators' {@code AWS_ENDPOINT_URL_*} variables, the one addition to what
 *     Lambda sets: locally the SDK must reach the emulators instead of AWS
 */
public final class ContainerRuntime implements AutoCloseable {
    static {
        HttpServers.sendAtOnce();
    }

    /** The access key the credentials endpoint hands out (the emulators accept any). */
    public static final String ACCESS_KEY = "LOCALCONTAINER";
    /** The secret of {@link #ACCESS_KEY}, which the platform's S3 accepts for container functions. */
    public static final String SECRET_KEY = "localcontainersecret";

    private final Path functionsJar;
    private final List<Path> runtimeClasspath;
    private final Map<String, String> endpoints;
    private final String region;
    private final Settings settings;
    private final HttpServer credentials;
    private final String credentialsToken;
    private final String credentialsUri;
    private final List<ContainerFunction> functions = new ArrayList<>();
    private final Path nativeClient;

    /**
     * @param maxInstances how many instances a function may run at once (Lambda would scale on; a
     *     laptop has a few cores)
     * @param idleTimeout how long an idle instance lives before it is reaped
     * @param java the {@code java} launcher for instances
     */
    public record Settings(int maxInstances, Duration idleTimeout, Path java, List<Path> benchClasspath,
                           List<String> benchFlags) {
        public static Settings defaults() {
            return new Settings(3, Duration.ofMinutes(5), Path.of(System.getProperty("java.home"), "bin", "java"),
                    List.of(), List.of());
        }

        public Settings withMaxInstances(int value) {
            return new Settings(value, idleTimeout, java, benchClasspath, benchFlags);
        }

        public Settings withIdleTimeout(Duration value) {
            return new Settings(maxInstances, value, java, benchClasspath, benchFlags);
        }

        /**
         * The benchmark's instrumentation only: a jar after the deployment artifact on the class
         * path, and system properties. Nothing else ever adds to what an instance runs.
         */
        public Settings withBenchInstrumentation(List<Path> classpath, List<String> flags) {
            return new Settings(maxInstances, idleTimeout, java, List.copyOf(classpath), List.copyOf(flags));
        }
    }

    public ContainerRuntime(Path functionsJar, List<Path> runtimeClasspath, Map<String, String> endpoints,
                            String region, Settings settings) throws IOException {
        if (!Files.isRegularFile(functionsJar)) {
            throw new IllegalStateException("container mode needs the deployment artifact " + functionsJar
                    + ": build it with `mvn -q -DskipTests package`, or run with --in-process");
        }
        if (runtimeClasspath.isEmpty()) {
            throw new IllegalStateException("container mode needs the Lambda runtime interface client's jars"
                    + " (infra/target/lambda-runtime): build with `mvn -q -DskipTests package`, or run with --in-process");
        }
        this.functionsJar = functionsJar;
        this.runtimeClasspath = List.copyOf(runtimeClasspath);
        this.endpoints = Map.copyOf(endpoints);
        this.region = region;
        this.settings = settings;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.credentialsToken = HexFormat.of().formatHex(secret);
        this.credentials = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        credentials.createContext("/credentials", this::serveCredentials);
        credentials.setExecutor(Executors.newFixedThreadPool(2, daemon("container-credentials")));
        credentials.start();
        this.credentialsUri = "http://127.0.0.1:" + credentials.getAddress().getPort() + "/credentials";
        this.nativeClient = unpackNativeClient(this.runtimeClasspath);
    }

    /**
     * The runtime interface client's JNI library, unpacked once. Left to itself each instance would
     * unpack it to the same {@code /tmp} file, which concurrent starts overwrite under one another
     * (in Lambda each sandbox has a {@code /tmp} of its own, and the managed runtime names the library).
     */
    private static Path unpackNativeClient(List<Path> classpath) throws IOException {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64";
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        for (Path jar : classpath) {
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                var found = file.getJarEntry(entry);
                if (found != null) {
                    Path dir = Files.createTempDirectory("io-local-lambda-runtime");
                    Path lib = dir.resolve("libaws-lambda-jni.so");
                    try (var in = file.getInputStream(found)) {
                        Files.copy(in, lib);
                    }
                    lib.toFile().deleteOnExit();
                    dir.toFile().deleteOnExit();
                    return lib;
                }
            }
        }
        throw new IllegalStateException("no " + entry + " in the runtime interface client's jars " + classpath);
    }

    /** The jars in {@code directory} (the runtime interface client and its libraries), sorted. */
    public static List<Path> jarsIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    public ContainerFunction function(FunctionSpec spec, String arn, Map<String, String> environment) {
        ContainerFunction function = new ContainerFunction(this, spec, arn, environment);
        synchronized (functions) {
            functions.add(function);
        }
        return function;
    }

    Settings settings() {
        return settings;
    }

    /** The deployment artifact the instances run. */
    public Path functionsJar() {
        return functionsJar;
    }

    /** The runtime interface client and its libraries. */
    public List<Path> runtimeClasspath() {
        return runtimeClasspath;
    }

    /** The emulator endpoints given to every instance. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    /**
     * The command that starts one instance: the launcher, flags modelled on the managed runtime's
     * (serial GC, tiered compilation stopping at C1, class data sharing, a heap bound of 85% of
     * {@code MemorySize}), the class path, and the runtime interface client's entry point with the
     * handler.
     */
    List<String> command(FunctionSpec spec, Path tmp) {
        List<String> command = new ArrayList<>();
        command.add(settings.java().toString());
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeClient);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-XX:MaxHeapSize=" + Math.max(16, spec.memoryMb() * 85 / 100) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-Djava.net.preferIPv4Stack=true");
        // Lambda has no ~/.aws; keep this machine's from reaching the function's credential chain.
        command.add("-Daws.sharedCredentialsFile=" + functionsJar.getParent().resolve(".no-aws-credentials"));
        command.add("-Daws.configFile=" + functionsJar.getParent().resolve(".no-aws-config"));
        List<String> classpath = new ArrayList<>();
        runtimeClasspath.forEach(p -> classpath.add(p.toString()));
        classpath.add(functionsJar.toString());
        settings.benchClasspath().forEach(p -> classpath.add(p.toString()));
        command.addAll(settings.benchFlags());
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        command.add(spec.handler());
        return command;
    }

    /**
     * The instance's whole environment: the template's variables, then what Lambda reserves and
     * sets itself, then the emulator endpoints. Nothing of the platform's own environment leaks in.
     */
    Map<String, String> environment(FunctionSpec spec, Map<String, String> templateVariables,
                                    String runtimeApi, String logStream) {
        Map<String, String> env = new LinkedHashMap<>(templateVariables);
        env.put("_HANDLER", spec.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", spec.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentialsUri);
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", credentialsToken);
        env.put("LAMBDA_TASK_ROOT", functionsJar.getParent().toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeClasspath.get(0).getParent().toString());
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.putAll(endpoints);
        return env;
    }

    /** The container credentials endpoint: only with the instance's token, short-lived keys. */
    private void serveCredentials(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"GET".equals(exchange.getRequestMethod()) || !Objects.equals(credentialsToken, authorization)) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            String expiration = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS).toString();
            byte[] body = ("{\"AccessKeyId\":\"" + ACCESS_KEY + "\",\"SecretAccessKey\":\"" + SECRET_KEY
                    + "\",\"Token\":\"localsession\",\"Expiration\":\"" + expiration + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        List<ContainerFunction> all;
        synchronized (functions) {
            all = List.copyOf(functions);
        }
        all.forEach(ContainerFunction::close);
        credentials.stop(0);
    }
}
