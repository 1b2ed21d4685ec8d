package dev.ioserverless.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque continuation token of a citizen's receipts list: where the next page starts and in
 * which order the list was read, bound to the citizen it was issued to.
 *
 * <p>It is URL-safe base64 (no padding) of {@code 1.<D|A>.<paid at, epoch ms>.<receipt id>.<check>},
 * where the check is the first 12 bytes of SHA-256 over the citizen's fiscal code and the rest.
 * The check is not a secret and protects nothing: the list is always read under the caller's own
 * key, so a token can at most move a citizen within their own receipts. It tells apart a token
 * that was altered, cut short, or issued to another citizen, which is refused rather than obeyed.
 */
public final class ContinuationToken {
    /** Longer than any token this class makes; longer input is refused unread. */
    static final int MAX_LENGTH = 256;
    private static final String VERSION = "1";
    private static final int CHECK_BYTES = 12;

    private ContinuationToken() {
    }

    /** The token of a page that ends at {@code next}, for the citizen {@code fiscalCode}. */
    public static String encode(String fiscalCode, ReceiptPosition next, boolean newestFirst) {
        String payload = VERSION + "." + (newestFirst ? "D" : "A") + "." + next.paidAt().toEpochMilli() + "."
                + next.receiptId();
        String token = payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(check(fiscalCode, payload));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /** What a token says, once it is known to be one of ours for this citizen. */
    public record Decoded(ReceiptPosition after, boolean newestFirst) {
    }

    /**
     * The position and order a token carries; empty when it is not a token issued to this citizen
     * by {@link #encode} (malformed, altered, cut short or another citizen's).
     */
    public static Optional<Decoded> decode(String fiscalCode, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int lastDot = text.lastIndexOf('.');
        if (lastDot < 0) {
            return Optional.empty();
        }
        String payload = text.substring(0, lastDot);
        byte[] check;
        try {
            check = Base64.getUrlDecoder().decode(text.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(check, check(fiscalCode, payload))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.", 4);
        if (parts.length != 4 || !parts[0].equals(VERSION) || !(parts[1].equals("D") || parts[1].equals("A"))
                || !ReceiptPosition.isReceiptId(parts[3])) {
            return Optional.empty();
        }
        long millis;
        try {
            millis = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (millis < ReceiptPosition.EARLIEST_PAID_AT.toEpochMilli() || millis > ReceiptPosition.LATEST_PAID_AT.toEpochMilli()) {
            return Optional.empty();
        }
        return Optional.of(new Decoded(new ReceiptPosition(Instant.ofEpochMilli(millis), parts[3]), parts[1].equals("D")));
    }

    private static byte[] check(String fiscalCode, String payload) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(("io-receipts-continuation:" + fiscalCode + ":").getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha256.digest(payload.getBytes(StandardCharsets.UTF_8)), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
