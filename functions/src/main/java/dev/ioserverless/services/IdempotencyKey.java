package dev.ioserverless.services;

import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.Optional;

/**
 * The {@value #HEADER} request header: a client-chosen string of 1 to {@value #MAX_LENGTH}
 * characters, without control characters, that makes a POST safe to retry.
 */
public final class IdempotencyKey {
    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /**
     * The key in the header; empty when the header is absent.
     *
     * @throws ProblemException a 400 naming the header when it is empty, longer than
     *     {@value #MAX_LENGTH} characters or holds control characters
     */
    public static Optional<String> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String key = header.get();
        if (key.isEmpty()) {
            throw invalid("must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid("must not contain control characters");
            }
        }
        return Optional.of(key);
    }

    private static ProblemException invalid(String rule) {
        return new ProblemException(Problem.badRequest(HEADER + ": " + rule));
    }
}
