package dev.ioserverless.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 hex digests: API keys are stored only in this form. */
public final class Hashing {
    private Hashing() {
    }

    public static String sha256Hex(String value) {
        return sha256Hex(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] value) {
        MessageDigest digest = sha256();
        return HexFormat.of().formatHex(digest.digest(value));
    }

    /**
     * The SHA-256 of several parts, each preceded by its length, so that no two different lists of
     * parts hash alike (("ab", "c") and ("a", "bc") differ).
     */
    public static String sha256HexOfParts(byte[]... parts) {
        MessageDigest digest = sha256();
        for (byte[] part : parts) {
            int length = part.length;
            digest.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
            digest.update(part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
