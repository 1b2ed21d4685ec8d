package dev.ioserverless.common;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * ULIDs: 48 bits of milliseconds and 80 random bits in Crockford base32, 26 characters, sortable
 * by creation time. IO uses them as message ids.
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String PATTERN = "^[0-9A-HJKMNP-TV-Z]{26}$";

    private Ulid() {
    }

    public static String next() {
        return of(Instant.now().toEpochMilli());
    }

    public static String of(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return of(epochMillis, random);
    }

    /**
     * The ULID of {@code epochMillis} whose 80 random bits are the first ten bytes of
     * {@code randomness}: the same id every time for the same inputs (for writes that must happen
     * once, however often they are retried).
     */
    public static String of(long epochMillis, byte[] randomness) {
        if (randomness.length < 10) {
            throw new IllegalArgumentException("a ULID needs 80 bits of randomness");
        }
        byte[] random = randomness;
        char[] out = new char[26];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    public static boolean isValid(String value) {
        return value != null && value.matches(PATTERN);
    }
}
