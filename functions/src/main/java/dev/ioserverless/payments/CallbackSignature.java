package dev.ioserverless.payments;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payment callback's authentication. The payment platform signs each request with a shared
 * secret and sends {@code X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw
 * body)>}.
 *
 * <ul>
 *   <li>The body is signed as received, byte for byte: one changed byte fails.
 *   <li>{@code t} is signed with it, and must be within {@link #TOLERANCE} of now either way, so a
 *       captured request cannot be replayed later.
 *   <li>Any of the valid secrets may have signed it (during a rotation, the old and the new), and
 *       the header may carry several {@code v1} entries (a platform signing with both); one match is
 *       enough. Comparison is in constant time.
 * </ul>
 */
public final class CallbackSignature {
    public static final String HEADER = "X-Signature";
    public static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final int MAX_HEADER = 1024;

    private CallbackSignature() {
    }

    public enum Verdict {
        VALID,
        /** No header, or not {@code t=...,v1=...}. */
        MALFORMED,
        /** {@code t} more than {@link #TOLERANCE} away from now. */
        STALE,
        /** No valid secret gives any of the signatures. */
        MISMATCH
    }

    public static Verdict verify(String header, byte[] body, List<String> secrets, Instant now) {
        if (header == null || header.isEmpty() || header.length() > MAX_HEADER) {
            return Verdict.MALFORMED;
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Verdict.MALFORMED;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                if (timestamp != null || !value.matches("[0-9]{1,12}")) {
                    return Verdict.MALFORMED;
                }
                timestamp = Long.parseLong(value);
            } else if (name.equals("v1")) {
                if (!value.matches("[0-9a-fA-F]{64}")) {
                    return Verdict.MALFORMED;
                }
                signatures.add(HexFormat.of().parseHex(value.toLowerCase()));
            }
            // Other schemes (v0, a future v2) are ignored, as a signature scheme's readers should.
        }
        if (timestamp == null || signatures.isEmpty()) {
            return Verdict.MALFORMED;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.getSeconds()) {
            return Verdict.STALE;
        }
        byte[] signed = signedBytes(timestamp, body);
        boolean match = false;
        for (String secret : secrets) {
            byte[] expected = hmac(secret, signed);
            for (byte[] signature : signatures) {
                match |= MessageDigest.isEqual(expected, signature);
            }
        }
        return match ? Verdict.VALID : Verdict.MISMATCH;
    }

    /** The header value for a body signed with {@code secret} at {@code t}: what the platform sends. */
    public static String sign(String secret, long t, byte[] body) {
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, signedBytes(t, body)));
    }

    private static byte[] signedBytes(long t, byte[] body) {
        byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return signed;
    }

    private static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
