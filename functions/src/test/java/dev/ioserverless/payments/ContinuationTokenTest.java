package dev.ioserverless.payments;

import static dev.ioserverless.payments.TestReceipts.GIULIA;
import static dev.ioserverless.payments.TestReceipts.MARIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ContinuationTokenTest {
    static final ReceiptPosition AT = new ReceiptPosition(Instant.parse("2026-03-15T09:30:00.123Z"), "rcpt.01:a-b_c");

    @Test
    void aTokenGivesBackThePositionAndOrderItWasMadeFor() {
        for (boolean newestFirst : List.of(true, false)) {
            String token = ContinuationToken.encode(MARIO, AT, newestFirst);
            assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe, no padding: " + token);
            assertTrue(token.length() <= ContinuationToken.MAX_LENGTH);
            ContinuationToken.Decoded decoded = ContinuationToken.decode(MARIO, token).orElseThrow();
            assertEquals(AT, decoded.after());
            assertEquals(newestFirst, decoded.newestFirst());
        }
    }

    @Test
    void theLongestReceiptIdStillFitsTheLimit() {
        ReceiptPosition longest = new ReceiptPosition(Instant.parse("9999-12-31T23:59:59.999Z"), "x".repeat(64));
        String token = ContinuationToken.encode(MARIO, longest, true);
        assertTrue(token.length() <= ContinuationToken.MAX_LENGTH, token.length() + " characters");
        assertEquals(longest, ContinuationToken.decode(MARIO, token).orElseThrow().after());
    }

    @Test
    void anotherCitizensTokenIsRefused() {
        assertTrue(ContinuationToken.decode(GIULIA, ContinuationToken.encode(MARIO, AT, true)).isEmpty());
    }

    @Test
    void malformedTokensAreRefused() {
        String good = ContinuationToken.encode(MARIO, AT, true);
        for (String bad : List.of("", "!!!", "not base64 at all", good.substring(0, good.length() - 3),
                good + "AA", "A".repeat(ContinuationToken.MAX_LENGTH + 1), encoded("1.D.1.x"), encoded("no dots"),
                encoded("1.D.abc.rcpt.AAAA"))) {
            assertTrue(ContinuationToken.decode(MARIO, bad).isEmpty(), bad);
        }
        assertTrue(ContinuationToken.decode(MARIO, null).isEmpty());
    }

    @Test
    void aTokenRewrittenByHandWithoutItsCheckIsRefused() {
        String text = new String(Base64.getUrlDecoder().decode(ContinuationToken.encode(MARIO, AT, true)),
                StandardCharsets.UTF_8);
        String moved = text.replace("1.D." + AT.paidAt().toEpochMilli(), "1.D.0");
        assertFalse(moved.equals(text));
        assertTrue(ContinuationToken.decode(MARIO, encoded(moved)).isEmpty());
        String reordered = text.replace("1.D.", "1.A.");
        assertTrue(ContinuationToken.decode(MARIO, encoded(reordered)).isEmpty());
    }

    @Property(tries = 300)
    void changingAnyOneCharacterOfATokenIsNoticed(@ForAll @IntRange(min = 0, max = 200) int where,
                                                  @ForAll @IntRange(min = 1, max = 63) int shift) {
        String token = ContinuationToken.encode(MARIO, AT, true);
        int at = where % token.length();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char changed = alphabet.charAt((alphabet.indexOf(token.charAt(at)) + shift) % alphabet.length());
        String tampered = token.substring(0, at) + changed + token.substring(at + 1);
        // A change in the last character may only touch base64 padding bits; then the token is unchanged.
        boolean sameBytes = java.util.Arrays.equals(decodeOrNull(tampered), decodeOrNull(token));
        assertEquals(sameBytes, ContinuationToken.decode(MARIO, tampered).isPresent(), tampered);
    }

    private static byte[] decodeOrNull(String token) {
        try {
            return Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
