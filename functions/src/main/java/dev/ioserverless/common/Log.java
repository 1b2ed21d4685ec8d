package dev.ioserverless.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Structured JSON logs, one line per event. Fiscal codes only ever appear as a keyed hash
 * ({@link #fiscalCodeRef}); message content, keys and tokens are never passed here.
 */
public final class Log {
    private static volatile PrintStream out = System.out;
    private final String component;
    private static final java.util.List<String> LEVELS = java.util.List.of("DEBUG", "INFO", "WARN", "ERROR");
    private final byte[] hashKey;
    private final int minimumLevel;

    /** The shortest {@code LOG_HASH_KEY} accepted, as the template's parameter requires. */
    public static final int MIN_HASH_KEY_LENGTH = 32;

    /**
     * A function's log. {@code LOG_HASH_KEY} is required: without it there is no key to hash fiscal
     * codes with, and a fallback key anyone can read in the source would make every hash reversible
     * by trying fiscal codes. A function without it fails at start, not later.
     *
     * @throws IllegalStateException when {@code LOG_HASH_KEY} is missing or shorter than
     *     {@value #MIN_HASH_KEY_LENGTH} characters
     */
    public Log(String component, Config config) {
        this(component, config.find("LOG_HASH_KEY")
                .filter(key -> key.length() >= MIN_HASH_KEY_LENGTH)
                .orElseThrow(() -> new IllegalStateException("LOG_HASH_KEY: required, at least " + MIN_HASH_KEY_LENGTH
                        + " characters (fiscal codes are logged only as a hash keyed with it)"))
                .getBytes(StandardCharsets.UTF_8), config.get("LOG_LEVEL", "INFO"));
    }

    private Log(String component, byte[] hashKey, String level) {
        this.component = component;
        this.hashKey = hashKey;
        int index = LEVELS.indexOf(level.toUpperCase(java.util.Locale.ROOT));
        this.minimumLevel = index < 0 ? 1 : index;
    }

    /**
     * The log of a part of the local platform, not of a function: its hash key is random, made
     * for this process, so a reference it writes matches nothing outside it.
     */
    public static Log platform(String component) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new Log(component, key, "INFO");
    }

    public void debug(String event, Object... keyValues) {
        write("DEBUG", event, keyValues);
    }

    /** Where every log line goes: standard output (as Lambda collects it), unless a test captures it. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** A line written as it is, for what a function logs through Lambda's own logger. */
    public static void line(String text) {
        out.println(text);
    }

    public void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    /**
     * A keyed hash of any value a log must be able to correlate but never show (an Idempotency-Key,
     * which clients fill with business identifiers): 16 hex digits, stable per deployment.
     */
    public String ref(String value) {
        String fiscal = fiscalCodeRef(value);
        return fiscal == null ? null : fiscal.substring(0, Math.min(16, fiscal.length()));
    }

    /** A keyed hash of a fiscal code, stable per deployment, that cannot be reversed without the key. */
    public String fiscalCodeRef(String fiscalCode) {
        if (fiscalCode == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            byte[] digest = mac.doFinal(fiscalCode.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(String level, String event, Object[] keyValues) {
        if (LEVELS.indexOf(level) < minimumLevel) {
            return;
        }
        ObjectNode line = Json.object();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("component", component);
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            String key = String.valueOf(keyValues[i]);
            if (value == null) {
                continue;
            }
            if (value instanceof Number number) {
                // Two statements, not a conditional expression: that would promote the long to a double.
                if (number.doubleValue() == number.longValue()) {
                    line.put(key, number.longValue());
                } else {
                    line.put(key, number.doubleValue());
                }
            } else if (value instanceof Boolean bool) {
                line.put(key, bool);
            } else {
                line.put(key, String.valueOf(value));
            }
        }
        out.println(Json.write(line));
    }

    /** One CloudWatch Embedded Metric Format line: counts and latencies without a metrics API call. */
    public void metric(String name, double value, String unit) {
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", Instant.now().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", "IOServerless");
        directive.putArray("Dimensions").addArray().add("component");
        directive.putArray("Metrics").addObject().put("Name", name).put("Unit", unit);
        line.put("component", component);
        line.put(name, value);
        out.println(Json.write(line));
    }
}
