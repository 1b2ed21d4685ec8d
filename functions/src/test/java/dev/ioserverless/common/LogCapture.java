package dev.ioserverless.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures the structured log lines written while it is open. */
public final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public LogCapture() {
        Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    public String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The event lines (metrics lines, which have no "event", left out). */
    public List<JsonNode> events() {
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
