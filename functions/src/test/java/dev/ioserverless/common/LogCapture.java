package dev.ioserverless.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The structured log lines written while it is open (read from {@link TestLogs}). */
public final class LogCapture implements AutoCloseable {
    private final int mark = TestLogs.mark();

    public String text() {
        return String.join("\n", TestLogs.since(mark));
    }

    /** The event lines (metrics lines, which have no "event", left out). */
    public List<JsonNode> events() {
        return TestLogs.eventsSince(mark);
    }

    @Override
    public void close() {
        // nothing to undo: the capture stays installed for the whole test JVM
    }
}
