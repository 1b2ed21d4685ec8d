package dev.ioserverless.profiles;

import java.time.Instant;

/**
 * Email validation tokens, stored only as the SHA-256 of the token. Each is single-use: the first
 * {@link #claim} marks it used with a conditional write, and every later one finds it used.
 */
public interface EmailValidationTokens {

    /** @param expiresAt when the link stops working; the store may also delete the token after it */
    record Token(String tokenHash, String fiscalCode, String email, Instant createdAt, Instant expiresAt) {
    }

    sealed interface Claim permits Claimed, AlreadyUsed, Unknown {
    }

    /** This call used the token: it was unused until now. */
    record Claimed(Token token) implements Claim {
    }

    /** @param fiscalCode whose token it was */
    record AlreadyUsed(String fiscalCode) implements Claim {
    }

    record Unknown() implements Claim {
    }

    /** Stores a new token (a token hash never stored before). */
    void create(Token token);

    /** Marks the token of {@code tokenHash} used as of {@code now}, once. */
    Claim claim(String tokenHash, Instant now);
}
