package dev.ioserverless.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every log line a test JVM writes through {@link Log}: the functions' JSON lines and the local
 * platform's. They are kept here instead of printed, so a green build is quiet; {@link QuietLogs}
 * prints what a reader needs (the lines of a failed test, and ERROR lines no test expected).
 * Tests also read them, to wait for a handler to have done something.
 */
public final class TestLogs {
    private static final List<String> LINES = new ArrayList<>();

    static {
        Log.redirect(new PrintStream(new LineSink(), true, StandardCharsets.UTF_8));
    }

    private TestLogs() {
    }

    /** Installs the capture (idempotent: the first use of this class does it). */
    public static void install() {
        // the static initialiser does the work
    }

    /** A position in the log: what is written from now on comes after it. */
    public static int mark() {
        synchronized (LINES) {
            return LINES.size();
        }
    }

    /** The lines written since {@code mark}, oldest first. */
    public static List<String> since(int mark) {
        synchronized (LINES) {
            return new ArrayList<>(LINES.subList(Math.min(mark, LINES.size()), LINES.size()));
        }
    }

    /** The JSON event lines written since {@code mark} (metric lines and plain lines left out). */
    public static List<JsonNode> eventsSince(int mark) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : since(mark)) {
            JsonNode node = parse(line);
            if (node != null && node.has("event")) {
                events.add(node);
            }
        }
        return events;
    }

    /**
     * Waits until {@code count} event lines written since {@code mark} match, and returns them: a
     * positive signal that a handler has done its work, never a fixed wait.
     */
    public static List<JsonNode> awaitEvents(int mark, Predicate<JsonNode> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> found = eventsSince(mark).stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching log events within " + timeout + ", saw " + found);
            }
            synchronized (LINES) {
                try {
                    LINES.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return Json.read(line);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Splits what is written into lines. */
    private static final class LineSink extends OutputStream {
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                pending.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        private void flushLine() {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (line.isBlank()) {
                return;
            }
            synchronized (LINES) {
                LINES.add(line);
                LINES.notifyAll();
            }
        }
    }
}
