package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer runs it: the packaged jar starts the platform, writes
 * demo.json, serves the demo flow, and stops cleanly on SIGTERM (what Ctrl-C's shutdown hook runs too).
 */
class RunnableJarIT {
    private static final Pattern API = Pattern.compile("API\\s+(http://\\S+)");

    @Test
    void theJarStartsTheWholePlatformAndStopsCleanly() throws Exception {
        Path jar = Path.of("target", "io-local.jar");
        assertTrue(Files.isRegularFile(jar), "run after mvn package");
        Path state = Files.createTempDirectory("io-local-jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0", "--state-dir", state.toString(),
                "--template", Path.of("..", "template.yaml").toString())
                .redirectErrorStream(true)
                .start();
        try {
            String apiBase = null;
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (String line; apiBase == null && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                Matcher matcher = API.matcher(line);
                if (matcher.find()) {
                    apiBase = matcher.group(1);
                }
            }
            assertTrue(apiBase != null, "the platform printed its API address within 30 s");
            drain(out);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/_local/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            JsonNode demo = Json.MAPPER.readTree(state.resolve("demo.json").toFile());
            assertEquals(apiBase, demo.path("api_base_url").asText());
            String citizen = demo.path("citizen_fiscal_code").asText();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/api/v1/messages/" + citizen))
                    .header("Ocp-Apim-Subscription-Key", demo.path("api_key").asText())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(TestData.newMessage())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = Json.read(created.body()).path("id").asText();
            String messageUrl = apiBase + "/api/v1/messages/" + citizen + "/" + id;
            String[] status = new String[1];
            TestPlatform.await(() -> {
                try {
                    status[0] = Json.read(http.send(HttpRequest.newBuilder(URI.create(messageUrl))
                            .header("Ocp-Apim-Subscription-Key", demo.path("api_key").asText()).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).path("status").asText();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return "PROCESSED".equals(status[0]);
            }, Duration.ofSeconds(10), "PROCESSED through the jar");
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook stops everything
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "stopped within 20 s of SIGTERM");
        }
    }

    /** Keeps reading the platform's output so its pipe never fills. */
    private static void drain(BufferedReader out) {
        Thread drainer = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "jar-output");
        drainer.setDaemon(true);
        drainer.start();
    }
}
