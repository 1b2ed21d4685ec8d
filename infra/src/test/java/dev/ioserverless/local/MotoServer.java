package dev.ioserverless.local;

import dev.ioserverless.local.emulators.FreePort;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code moto_server} for the second-opinion suite: DynamoDB, SQS and SNS (platform endpoints
 * included) served by an emulator we did not write. It listens on a free port of 127.0.0.1,
 * serves the platform's account ({@code MOTO_ACCOUNT_ID}), and writes its request log to
 * {@code target/moto-server.log}.
 */
final class MotoServer implements AutoCloseable {
    static final String NOT_ON_PATH = "moto_server not on PATH: second-opinion suite skipped";
    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Whether {@code moto_server} is on the PATH. */
    static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "moto_server"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts it and returns once it answers. */
    static MotoServer start() {
        int port = FreePort.find("127.0.0.1");
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "moto-server.log").toFile()));
        builder.environment().put("MOTO_ACCOUNT_ID", LocalPlatform.ACCOUNT_ID);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("moto_server did not start (is it on the PATH?)", e);
        }
        MotoServer server = new MotoServer(process, endpoint);
        server.awaitReady(Duration.ofSeconds(30));
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Polls its dashboard until it answers (its Python start takes a second or two). */
    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with status " + process.exitValue()
                        + "; see target/moto-server.log");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("moto_server did not answer on " + endpoint + " within " + timeout);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
