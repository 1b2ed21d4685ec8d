package dev.ioserverless.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {
    static final String SECRET = "a-secret-of-at-least-thirty-two-chars";
    static final String OTHER = "another-secret-of-thirty-two-characters";
    static final byte[] BODY = "{\"receipt_id\":\"r1\"}".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theSignatureIsAnHmacOfTheTimestampAndTheBody() {
        // HMAC-SHA256("key", "1.x"), computed independently (openssl dgst -sha256 -hmac key).
        String header = CallbackSignature.sign("key", 1, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("t=1,v1=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec", header);
    }

    @Test
    void aFreshSignatureWithAValidSecretIsValid() {
        String header = CallbackSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        assertEquals(CallbackSignature.Verdict.VALID, CallbackSignature.verify(header, BODY, List.of(SECRET), NOW));
        assertEquals(CallbackSignature.Verdict.VALID, CallbackSignature.verify(header, BODY, List.of(OTHER, SECRET), NOW));
        assertEquals(CallbackSignature.Verdict.MISMATCH, CallbackSignature.verify(header, BODY, List.of(OTHER), NOW));
    }

    @Test
    void theTimestampMayBeThreeHundredSecondsOffEitherWayAndNoMore() {
        for (long offset : new long[] {-300, 300}) {
            String header = CallbackSignature.sign(SECRET, NOW.getEpochSecond() + offset, BODY);
            assertEquals(CallbackSignature.Verdict.VALID, CallbackSignature.verify(header, BODY, List.of(SECRET), NOW));
        }
        for (long offset : new long[] {-301, 301}) {
            String header = CallbackSignature.sign(SECRET, NOW.getEpochSecond() + offset, BODY);
            assertEquals(CallbackSignature.Verdict.STALE, CallbackSignature.verify(header, BODY, List.of(SECRET), NOW));
        }
    }

    @Test
    void oneChangedByteOrAChangedTimestampFails() {
        String header = CallbackSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        byte[] changed = BODY.clone();
        changed[changed.length - 2] ^= 1;
        assertEquals(CallbackSignature.Verdict.MISMATCH, CallbackSignature.verify(header, changed, List.of(SECRET), NOW));
        String retimed = header.replace("t=" + NOW.getEpochSecond(), "t=" + (NOW.getEpochSecond() - 1));
        assertEquals(CallbackSignature.Verdict.MISMATCH, CallbackSignature.verify(retimed, BODY, List.of(SECRET), NOW));
    }

    @Test
    void anyOfSeveralSignaturesMayMatchAndUnknownSchemesAreIgnored() {
        String good = CallbackSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        String v1 = good.substring(good.indexOf("v1="));
        String header = "t=" + NOW.getEpochSecond() + ",v1=" + "ab".repeat(32) + ",v0=whatever," + v1;
        assertEquals(CallbackSignature.Verdict.VALID, CallbackSignature.verify(header, BODY, List.of(SECRET), NOW));
    }

    @Test
    void malformedHeadersAreMalformed() {
        for (String header : new String[] {null, "", "garbage", "t=1", "v1=" + "a".repeat(64), "t=x,v1=" + "a".repeat(64),
                "t=1,v1=short", "t=1,t=2,v1=" + "a".repeat(64), "t=1,=v,v1=" + "a".repeat(64)}) {
            assertEquals(CallbackSignature.Verdict.MALFORMED, CallbackSignature.verify(header, BODY, List.of(SECRET), NOW),
                    String.valueOf(header));
        }
    }

    @Test
    void theParameterValueHoldsOneOrTwoLongSecrets() {
        assertEquals(List.of(SECRET), CallbackSecrets.parse(SECRET + "\n"));
        assertEquals(List.of(SECRET, OTHER), CallbackSecrets.parse(SECRET + "\n" + OTHER));
        assertEquals(List.of(SECRET, OTHER), CallbackSecrets.parse(" " + SECRET + " , " + OTHER));
        assertThrows(IllegalStateException.class, () -> CallbackSecrets.parse("\n \n"));
        assertThrows(IllegalStateException.class, () -> CallbackSecrets.parse("short"));
        assertThrows(IllegalStateException.class, () -> CallbackSecrets.parse(SECRET + "\n" + OTHER + "\n" + SECRET + "x"));
    }
}
