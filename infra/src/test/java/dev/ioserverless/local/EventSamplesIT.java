package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.runtime.LambdaFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function of template.yaml has at least one sample in events/ named after its logical id,
 * and its handler, built as the platform builds it, accepts each sample: it answers instead of
 * throwing, with a non-5xx response for HTTP events, a batch response for SQS events and a summary
 * object for a scheduled function's run.
 */
class EventSamplesIT {
    private static final Path EVENTS = Path.of("..", "events");

    @Test
    void everyFunctionAcceptsItsSampleEvents() throws IOException {
        LocalPlatform platform = TestPlatform.get();
        List<String> missing = new ArrayList<>();
        for (String logicalId : platform.functionIds()) {
            List<Path> samples = samplesOf(logicalId);
            if (samples.isEmpty()) {
                missing.add(logicalId);
                continue;
            }
            LambdaFunction function = platform.function(logicalId);
            for (Path sample : samples) {
                JsonNode result = Json.read(function.invokeJson(Files.readString(sample)));
                assertNotNull(result, sample.toString());
                if (result.has("statusCode")) {
                    int status = result.path("statusCode").asInt();
                    assertTrue(status >= 200 && status < 500, sample + " answered " + status + ": " + result.path("body"));
                } else if (!function.spec().schedules().isEmpty()) {
                    assertTrue(result.isObject(), sample + " returned " + result);   // a scheduled run's summary
                } else {
                    assertTrue(result.path("batchItemFailures").isArray(), sample + " returned " + result);
                }
            }
        }
        assertTrue(missing.isEmpty(), "functions without a sample in events/: " + missing);
    }

    @Test
    void everySampleBelongsToAFunction() throws IOException {
        LocalPlatform platform = TestPlatform.get();
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<String> orphans = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .filter(name -> platform.functionIds().stream().noneMatch(id -> name.equals(id + ".json")
                            || name.startsWith(id + "-")))
                    .toList();
            assertFalse(orphans.stream().findAny().isPresent(), "samples naming no function: " + orphans);
        }
    }

    private static List<Path> samplesOf(String logicalId) throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.equals(logicalId + ".json") || (name.startsWith(logicalId + "-") && name.endsWith(".json"));
            }).sorted().toList();
        }
    }
}
