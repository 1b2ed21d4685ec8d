package dev.ioserverless.profiles;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EmailValidationTokens} in memory, with the same single-use and counting rules. */
class InMemoryEmailValidationTokens implements EmailValidationTokens {
    final Map<String, Token> tokens = new ConcurrentHashMap<>();
    final Map<String, Instant> used = new ConcurrentHashMap<>();

    @Override
    public synchronized void create(Token token) {
        if (tokens.putIfAbsent(token.tokenHash(), token) != null) {
            throw new IllegalStateException("token hash stored twice");
        }
    }

    @Override
    public synchronized Claim claim(String tokenHash, Instant now) {
        Token token = tokens.get(tokenHash);
        if (token == null) {
            return new Unknown();
        }
        if (used.putIfAbsent(tokenHash, now) != null) {
            return new AlreadyUsed(token.fiscalCode());
        }
        return new Claimed(token);
    }
}
