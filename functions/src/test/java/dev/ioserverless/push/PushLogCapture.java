package dev.ioserverless.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures the structured log lines written while it is open. */
final class PushLogCapture implements AutoCloseable {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    PushLogCapture() {
        Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The event lines (metric lines, which have no "event", left out). */
    List<JsonNode> events() {
        return Arrays.stream(text().split("\n"))
                .filter(line -> !line.isBlank())
                .map(Json::read)
                .filter(node -> node.has("event"))
                .toList();
    }

    @Override
    public void close() {
        Log.redirect(System.out);
    }
}
