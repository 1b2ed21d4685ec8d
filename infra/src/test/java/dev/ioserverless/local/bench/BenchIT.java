package dev.ioserverless.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark harness with a tiny N, so it cannot rot: every figure is there and plausible. */
class BenchIT {

    @Test
    void aTinyRunWritesEveryFigure() throws Exception {
        Path out = Files.createTempDirectory("bench-it").resolve("bench-results.json");
        JsonNode results = Bench.run(new String[] {"--quick", "--messages", "20", "--cold-runs", "1", "--warm-runs", "2",
                "--concurrency", "4", "--out", out.toString()});
        JsonNode written = Json.read(Files.readString(out));
        assertEquals(results.path("elapsed_seconds").asDouble(), written.path("elapsed_seconds").asDouble(), "the run's JSON on disk");
        assertEquals(results.path("single_submit").path("accepted").asInt(), written.path("single_submit").path("accepted").asInt());
        assertEquals(0, results.path("errors").asInt(), results.toString());

        JsonNode cold = results.path("cold_start");
        assertTrue(cold.size() >= 15, "every function's cold start: " + cold);
        cold.fields().forEachRemaining(f -> {
            assertTrue(f.getValue().path("ms").asDouble() > 0, f.getKey());
            assertTrue(f.getValue().path("hello_world_ms").asDouble() > 0, f.getKey());
        });
        assertTrue(results.path("cold_start_ratio_max").asDouble() > 0);
        assertEquals(cold.size(), results.path("warm_latency_ms").size());

        for (String path : List.of("single_submit", "batch_submit")) {
            JsonNode run = results.path(path);
            assertTrue(run.path("accepted").asInt() >= 20, path);
            assertEquals(run.path("accepted").asInt(), run.path("delivered").asInt(), path + ": every push recorded");
            assertTrue(run.path("submit_messages_per_second").asDouble() > 0, path);
            assertTrue(run.path("e2e_latency_ms").path("p99").asDouble() > 0, path);
            JsonNode byOperation = run.path("aws_requests_per_message").path("by_operation");
            assertTrue(byOperation.path("DynamoDb.PutItem").asDouble() >= 2, path + ": content and status: " + byOperation);
            assertTrue(byOperation.path("Sns.Publish.mobilePush").asDouble() >= 1, path + ": one push each");
            assertTrue(run.path("dynamodb_write_units_per_message").asDouble() > 0, path);
            assertTrue(run.path("cost_usd_per_million_messages").path("total").asDouble() > 0, path);
        }
        JsonNode single = results.path("single_submit");
        assertEquals(1.0, single.path("cost_usd_per_million_messages").path("http_api").asDouble(), 1e-9,
                "one HTTP API request a message");
        assertTrue(results.path("max_heap_mb").path("SubmitMessageFunction").asLong() > 0);
        assertTrue(results.path("prices").path("as_of").isTextual());
    }
}
