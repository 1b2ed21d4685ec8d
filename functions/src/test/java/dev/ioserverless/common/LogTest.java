package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void integersStayIntegersAndFractionsStayFractions() {
        JsonNode line;
        try (LogCapture logs = new LogCapture()) {
            new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars"))).info("e", "status", 415, "ratio", 0.5, "flag", true, "skipped", null);
            line = logs.events().get(0);
        }
        assertTrue(line.get("status").isIntegralNumber(), line.toString());
        assertEquals(415, line.get("status").intValue());
        assertEquals(0.5, line.get("ratio").doubleValue());
        assertTrue(line.get("flag").booleanValue());
        assertTrue(!line.has("skipped"));
    }

    @Test
    void fiscalCodeRefIsKeyedAndStable() {
        Log a = new Log("a", Config.of(Map.of("LOG_HASH_KEY", "key-one-key-one-key-one-key-one-1")));
        Log b = new Log("b", Config.of(Map.of("LOG_HASH_KEY", "key-two-key-two-key-two-key-two-2")));
        assertEquals(a.fiscalCodeRef("RSSMRA80A01H501U"), a.fiscalCodeRef("RSSMRA80A01H501U"));
        assertNotEquals(a.fiscalCodeRef("RSSMRA80A01H501U"), b.fiscalCodeRef("RSSMRA80A01H501U"));
        assertEquals(24, a.fiscalCodeRef("RSSMRA80A01H501U").length());
    }

    @Test
    @ExpectedErrors("error_event")
    void linesBelowTheConfiguredLevelAreDropped() {
        String out;
        try (LogCapture logs = new LogCapture()) {
            Log log = new Log("test", Config.of(Map.of("LOG_LEVEL", "WARN", "LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
            log.debug("debug_event");
            log.info("info_event");
            log.warn("warn_event");
            log.error("error_event");
            out = logs.text();
        }
        assertTrue(!out.contains("debug_event") && !out.contains("info_event"), out);
        assertTrue(out.contains("warn_event") && out.contains("error_event"), out);
    }

    @Test
    void aFunctionWithoutALogHashKeyFailsAtStartInsteadOfHashingWithAPublicKey() {
        IllegalStateException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Log("f", Config.of(Map.of())));
        assertTrue(missing.getMessage().startsWith("LOG_HASH_KEY"), missing.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Log("f", Config.of(Map.of("LOG_HASH_KEY", "short"))));
        // The local platform's own components hash with a key of their own process.
        assertNotEquals(Log.platform("a").fiscalCodeRef("RSSMRA80A01H501U"), Log.platform("b").fiscalCodeRef("RSSMRA80A01H501U"));
    }
}
