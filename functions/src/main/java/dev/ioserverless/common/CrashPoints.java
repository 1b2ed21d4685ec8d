package dev.ioserverless.common;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Injected crashes, for chaos tests and the local platform's {@code --crash}: a handler that
 * reaches a named point dies there ({@link InjectedCrash}, an {@link Error} no handler catches, so
 * the invocation fails as a crashed runtime's does: an SQS batch comes back whole after its
 * visibility timeout, an API call gets the gateway's 5xx). Only when {@code IO_CRASH_POINTS} is
 * set; no deployed function has it.
 *
 * <p>{@code IO_CRASH_POINTS} is a comma-separated list of {@code <point>=<rate>}, the points being
 * {@value #SUBMIT_AFTER_WRITE} (the message stored, not yet queued), {@value #PROCESS_AFTER_RECORD}
 * and {@value #PUSH_AFTER_RECORD} (one record of the batch done, the others not yet). The rate is
 * the chance a pass through the point crashes; {@code IO_FAULTS_SEED} seeds it.
 */
public final class CrashPoints {
    public static final String VARIABLE = "IO_CRASH_POINTS";
    public static final String SUBMIT_AFTER_WRITE = "SubmitMessage.after-write";
    public static final String PROCESS_AFTER_RECORD = "ProcessMessage.after-record";
    public static final String PUSH_AFTER_RECORD = "PushNotification.after-record";
    private static final Set<String> POINTS = Set.of(SUBMIT_AFTER_WRITE, PROCESS_AFTER_RECORD, PUSH_AFTER_RECORD);
    private static final CrashPoints NONE = new CrashPoints(Map.of(), 0);

    private final Map<String, Double> rates;
    private final Random random;

    private CrashPoints(Map<String, Double> rates, long seed) {
        this.rates = Map.copyOf(rates);
        this.random = new Random(seed);
    }

    public static CrashPoints none() {
        return NONE;
    }

    /** The crash points of a configuration; none without {@code IO_CRASH_POINTS}. */
    public static CrashPoints fromConfig(Config config) {
        return config.find(VARIABLE).filter(spec -> !spec.isBlank())
                .map(spec -> new CrashPoints(parse(spec), config.find(FaultInjection.SEED_VARIABLE).map(Long::parseLong).orElse(1L)))
                .orElse(NONE);
    }

    /** @throws IllegalArgumentException naming the entry that is wrong */
    public static Map<String, Double> parse(String spec) {
        Map<String, Double> rates = new HashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String point = equals < 0 ? trimmed : trimmed.substring(0, equals);
            if (!POINTS.contains(point)) {
                throw new IllegalArgumentException("crash points: '" + point + "' is not one of " + POINTS);
            }
            double rate;
            try {
                rate = equals < 0 ? 1.0 : Double.parseDouble(trimmed.substring(equals + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("crash points: '" + trimmed + "' has no number for a rate");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("crash points: rate of " + point + " is not between 0 and 1");
            }
            rates.put(point, rate);
        }
        return rates;
    }

    /** Crashes here, at {@code point}, with its rate's chance. */
    public void reach(String point) {
        Double rate = rates.get(point);
        if (rate == null) {
            return;
        }
        boolean crash;
        synchronized (random) {
            crash = random.nextDouble() < rate;
        }
        if (crash) {
            throw new InjectedCrash(point);
        }
    }

    /** The handler died at a crash point. */
    public static final class InjectedCrash extends Error {
        private static final long serialVersionUID = 1L;

        InjectedCrash(String point) {
            super("injected crash at " + point);
        }
    }
}
