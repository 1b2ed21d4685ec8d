package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check finds what it is meant to, and not the ids and hashes every log line carries. */
class SecretsTest {

    @Test
    void aRecordedValueAJwtAFiscalCodeAndADemoKeyAreLeaksAndAreMaskedInTheReport() {
        Secrets.apiKey("0123456789abcdef0123456789abcdef");
        Secrets.subject("Oggetto registrato da SecretsTest");
        List<Secrets.Leak> leaks = Secrets.leaks(List.of(
                "{\"event\":\"x\",\"key\":\"0123456789abcdef0123456789abcdef\"}",
                "{\"event\":\"x\",\"note\":\"Oggetto registrato da SecretsTest\"}",
                "{\"event\":\"x\",\"auth\":\"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\"}",
                "{\"event\":\"x\",\"path\":\"/api/v1/messages/RSSMRA80A01H501U\"}",
                "{\"event\":\"x\",\"omocode\":\"RSSMRA80A01H50MU\"}",
                "{\"event\":\"x\",\"secret\":\"" + "ab".repeat(24) + "\"}"));
        assertEquals(6, leaks.size(), leaks.toString());
        assertEquals("API key", leaks.get(0).kind());
        assertEquals("message subject", leaks.get(1).kind());
        assertEquals("JWT", leaks.get(2).kind());
        assertEquals("fiscal code", leaks.get(3).kind());
        assertEquals("fiscal code", leaks.get(4).kind());
        assertEquals("demo key or secret", leaks.get(5).kind());
        leaks.forEach(leak -> assertFalse(leak.line().contains("0123456789abcdef0123456789abcdef")
                || leak.line().contains("RSSMRA80A01H501U") || leak.line().contains("eyJhbGci"), leak.line()));
    }

    @Test
    void shortProbesAndMalformedFiscalCodesAreNotRecorded() {
        Secrets.fiscalCode("1");
        Secrets.fiscalCode("NOT-A-FISCAL-CODE");
        Secrets.subject("short");
        assertTrue(Secrets.leaks(List.of("{\"timestamp\":\"2026-12-03T13:52:16.634867111Z\",\"event\":\"short\","
                + "\"detail\":\"NOT-A-FISCAL-CODE\"}")).isEmpty());
    }

    @Test
    void idsHashesAndRequestIdsAreNotLeaks() {
        assertTrue(Secrets.leaks(List.of(
                "{\"event\":\"message_accepted\",\"message_id\":\"01KBMXRSSMRA80A01H501UQ2ZZ\"}",
                "{\"event\":\"x\",\"fiscal_code_ref\":\"3f9a0c1b2d4e5f60718293a4\",\"ref\":\"3f9a0c1b2d4e5f60\"}",
                "{\"event\":\"x\",\"key_hash\":\"" + "ab".repeat(32) + "\"}",
                "{\"event\":\"x\",\"request_id\":\"8f14e45f-ceea-467f-a0e6-2f1f5d3c1a2b\"}")).isEmpty());
    }
}
