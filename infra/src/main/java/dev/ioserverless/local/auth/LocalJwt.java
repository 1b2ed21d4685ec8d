package dev.ioserverless.local.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The local stand-in for the citizen identity provider and for API Gateway's JWT authorizer: it
 * signs RS256 tokens with a key made at start-up, and checks a bearer token as the authorizer
 * does (signature by that key, {@code iss}, {@code aud}, {@code exp}, {@code nbf}).
 */
public final class LocalJwt {
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String KEY_ID = "io-local-citizen-key";

    private final KeyPair keys;
    private final Clock clock;

    public LocalJwt(Clock clock) {
        this.clock = clock;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator", e);
        }
    }

    /**
     * A signed token with {@code iss}, {@code aud}, {@code iat}, {@code nbf} (now), {@code exp}
     * (now + ttl) and the given claims, which may replace any of those (tests mistime tokens so).
     */
    public String issue(String issuer, String audience, Map<String, String> claims, long ttlSeconds) {
        Instant now = clock.instant();
        ObjectNode header = Json.object().put("alg", "RS256").put("typ", "JWT").put("kid", KEY_ID);
        ObjectNode payload = Json.object();
        payload.put("iss", issuer).put("aud", audience).put("jti", UUID.randomUUID().toString())
                .put("iat", now.getEpochSecond()).put("nbf", now.getEpochSecond())
                .put("exp", now.getEpochSecond() + ttlSeconds);
        claims.forEach((name, value) -> {
            if (Set.of("iat", "nbf", "exp").contains(name)) {
                payload.put(name, Long.parseLong(value));
            } else {
                payload.put(name, value);
            }
        });
        String signingInput = part(header) + "." + part(payload);
        return signingInput + "." + ENCODE.encodeToString(sign(signingInput));
    }

    /** The public key, as the JWKS a deployed authorizer would fetch would carry it. */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    /**
     * The token's claims (values as strings, as API Gateway hands them to the function) when the
     * {@code Authorization} header holds a token this issuer signed for {@code audience} that is
     * valid now; empty otherwise.
     */
    public Optional<Map<String, String>> verify(String authorization, String issuer, List<String> audiences) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Json.read(new String(DECODE.decode(parts[0]), StandardCharsets.UTF_8));
            if (!"RS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keys.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(DECODE.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode payload = Json.read(new String(DECODE.decode(parts[1]), StandardCharsets.UTF_8));
            long now = clock.instant().getEpochSecond();
            if (!issuer.equals(payload.path("iss").asText())
                    || !audienceMatches(payload.path("aud"), audiences)
                    || !payload.path("exp").canConvertToLong() || payload.path("exp").asLong() <= now
                    || (payload.has("nbf") && payload.path("nbf").asLong() > now)) {
                return Optional.empty();
            }
            Map<String, String> claims = new LinkedHashMap<>();
            payload.fields().forEachRemaining(field -> claims.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
            return Optional.of(claims);
        } catch (RuntimeException | GeneralSecurityException e) {
            return Optional.empty();   // not base64url, not JSON, or a malformed signature
        }
    }

    private static boolean audienceMatches(JsonNode aud, List<String> audiences) {
        if (aud.isTextual()) {
            return audiences.contains(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (audiences.contains(one.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private byte[] sign(String input) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(JsonNode json) {
        return ENCODE.encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
