package dev.ioserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The one local platform of a test JVM, started on first use from the real {@code template.yaml}
 * and shared by every integration test, which isolate themselves by data (fresh ids and fiscal
 * codes), never by restarting it.
 */
public final class TestPlatform {
    private static LocalPlatform platform;
    private static Path stateDir;
    private static final TestClock CLOCK = new TestClock();
    private static boolean motoMissingPrinted;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlatform() {
    }

    public static synchronized LocalPlatform get() {
        if (platform == null) {
            try {
                // Everything the run writes from here on is checked for secrets at the end (LogLeaksIT).
                Secrets.startCapture();
                stateDir = Files.createTempDirectory("io-local-it");
                LocalPlatform.Options options = LocalPlatform.Options.defaults().withInProcess(true)
                        .withPort(0)
                        .withStateDir(stateDir)
                        .withSchedules(false)
                        .withClock(CLOCK);
                AutoCloseable emulator = secondOpinion();
                if (emulator instanceof MotoServer moto) {
                    options = options.withExternalAws(moto.endpoint());
                } else if (emulator != null) {
                    options = options.withExternalAws(LocalStack.endpoint(emulator));
                }
                platform = LocalPlatform.start(options);
                LocalPlatform started = platform;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    if (emulator != null) {
                        try {
                            emulator.close();
                        } catch (Exception e) {
                            System.err.println("stopping " + emulator + ": " + e);
                        }
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Secrets.demo(demoJson());
            Secrets.apiKey(platform.remoteContent().key());   // the demo body's remote-content key: never in a log
        }
        return platform;
    }

    /**
     * The emulator of a second-opinion run ({@code -Dio.local.aws=moto} or {@code localstack}, the
     * Maven profiles of the same names) that serves DynamoDB, SQS and SNS instead of the embedded
     * ones; null for the embedded ones. Without Docker, a LocalStack run is skipped, test by test.
     */
    private static AutoCloseable secondOpinion() {
        String aws = System.getProperty("io.local.aws", "embedded");
        return switch (aws) {
            case "embedded" -> null;
            case "moto" -> {
                if (!MotoServer.onPath()) {
                    if (!motoMissingPrinted) {
                        motoMissingPrinted = true;
                        System.out.println(MotoServer.NOT_ON_PATH);
                    }
                    Assumptions.abort(MotoServer.NOT_ON_PATH);
                }
                yield MotoServer.start();
            }
            case "localstack" -> LocalStack.start();
            default -> throw new IllegalArgumentException("io.local.aws: embedded, moto or localstack, not " + aws);
        };
    }

    /** What serves DynamoDB, SQS and SNS to this run: embedded, moto or localstack. */
    public static String aws() {
        return System.getProperty("io.local.aws", "embedded");
    }

    /** Whether the shared platform runs on an external emulator (moto, LocalStack) rather than the embedded ones. */
    public static boolean secondOpinionRun() {
        return !"embedded".equals(System.getProperty("io.local.aws", "embedded"));
    }

    /** The clock every function of the shared platform tells time by. */
    public static TestClock clock() {
        get();
        return CLOCK;
    }

    public static Path stateDir() {
        get();
        return stateDir;
    }

    public static JsonNode demoJson() {
        try {
            return Json.MAPPER.readTree(stateDir().resolve("demo.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static URI url(String path) {
        return URI.create(get().apiBaseUrl() + path);
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            Secrets.request(built);
            return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls every 100 ms: slow enough that a poll over the Services API stays well inside a
     * service's rate limit (150 requests per 5 s).
     */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
