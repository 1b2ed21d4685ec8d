package dev.ioserverless.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample events in the repository's {@code events/} folder, {@code <FunctionLogicalId>.json}. */
public final class SampleEvents {
    /** The API key the samples carry; tests register it for their service. */
    public static final String SAMPLE_API_KEY = "sample-primary-key-0123456789abcdef";
    public static final String SAMPLE_MESSAGE_ID = "01HQZX3T5E8KJ4W2N6R9B7C1DM";
    public static final String SAMPLE_FISCAL_CODE = "RSSMRA80A01H501U";

    private SampleEvents() {
    }

    public static Path directory() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null) {
            Path events = dir.resolve("events");
            if (Files.isDirectory(events) && Files.exists(dir.resolve("template.yaml"))) {
                return events;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no events/ folder beside template.yaml above " + System.getProperty("user.dir"));
    }

    public static String load(String functionLogicalId) {
        try {
            return Files.readString(directory().resolve(functionLogicalId + ".json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
