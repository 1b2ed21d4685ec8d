package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --persist}: messages and the demo's keys survive a restart of the platform; without it a
 * restart starts empty.
 */
class PersistIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void dataAndDemoKeysSurviveARestartOnlyWithPersist() throws Exception {
        Path state = Files.createTempDirectory("io-local-persist");
        LocalPlatform.Options persisted = LocalPlatform.Options.defaults().withInProcess(true).withPort(0).withStateDir(state)
                .withPersist(true).withSchedules(false);

        String apiKey;
        String citizen;
        String id;
        try (LocalPlatform first = LocalPlatform.start(persisted)) {
            JsonNode demo = demo(state);
            apiKey = demo.path("api_key").asText();
            citizen = demo.path("citizen_fiscal_code").asText();
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                            URI.create(first.apiBaseUrl() + "/api/v1/messages/" + citizen))
                    .header("Ocp-Apim-Subscription-Key", apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(TestData.newMessage())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            id = Json.read(created.body()).path("id").asText();
            TestPlatform.await(() -> "PROCESSED".equals(status(first, apiKey, citizen, id)), Duration.ofSeconds(10), "processed");
        }

        try (LocalPlatform second = LocalPlatform.start(persisted)) {
            assertEquals(apiKey, demo(state).path("api_key").asText(), "the clear demo key is reused");
            assertEquals("PROCESSED", status(second, apiKey, citizen, id), "the message is still there, readable with that key");
        }

        try (LocalPlatform fresh = LocalPlatform.start(persisted.withPersist(false))) {
            String newKey = demo(state).path("api_key").asText();
            assertTrue(!newKey.equals(apiKey), "in memory, the demo gets new keys");
            HttpResponse<String> gone = HTTP.send(HttpRequest.newBuilder(
                            URI.create(fresh.apiBaseUrl() + "/api/v1/messages/" + citizen + "/" + id))
                    .header("Ocp-Apim-Subscription-Key", newKey).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, gone.statusCode(), "in memory, nothing of the earlier run is kept");
        }
    }

    private static JsonNode demo(Path state) throws Exception {
        return Json.MAPPER.readTree(state.resolve("demo.json").toFile());
    }

    private static String status(LocalPlatform platform, String key, String citizen, String id) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(platform.apiBaseUrl() + "/api/v1/messages/" + citizen + "/" + id))
                    .header("Ocp-Apim-Subscription-Key", key).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.read(response.body()).path("status").asText() : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
