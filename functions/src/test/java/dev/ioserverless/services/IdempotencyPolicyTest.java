package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Idempotency-Key decisions over a stored record, and the header's own rules. */
class IdempotencyPolicyTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123Z");
    static final String PK = "svc#key-1";
    static final String HASH = "a".repeat(64);
    static final String OTHER_HASH = "b".repeat(64);
    static final ApiResponse CREATED = ApiResponse.json(201, Map.of("id", "01HQZX3T5E8KJ4W2N6R9B7C1DM"),
            Map.of("Location", "/api/v1/messages/RSSMRA80A01H501U/01HQZX3T5E8KJ4W2N6R9B7C1DM"));

    /** The decisions are relative to the lease; this policy pins it at 30 s. */
    final IdempotencyPolicy policy = new IdempotencyPolicy(java.time.Duration.ofSeconds(30), IdempotencyPolicy.DEFAULT_RETENTION);

    IdempotencyRecord inProgress(Instant claimedAt) {
        return policy.claim(PK, HASH, "claim-1", claimedAt);
    }

    IdempotencyRecord completed(Instant claimedAt) {
        return inProgress(claimedAt).completed(CREATED);
    }

    @Test
    void aClaimHoldsAThirtySecondLeaseAndIsKeptADay() {
        IdempotencyRecord claim = inProgress(T0);
        assertEquals(IdempotencyRecord.State.IN_PROGRESS, claim.state());
        assertEquals(T0.plusSeconds(30), claim.lockedUntil());
        assertEquals(T0.plus(Duration.ofHours(24)).getEpochSecond(), claim.expiresAtEpochSecond());
        assertNull(claim.response());
        String partitionKey = IdempotencyPolicy.partitionKey("svc", "key-1");
        assertEquals("svc#" + dev.ioserverless.common.Hashing.sha256Hex("key-1"), partitionKey);
        assertFalse(partitionKey.contains("key-1"), "the client's key is stored only hashed");
        assertNotEquals(partitionKey, IdempotencyPolicy.partitionKey("other-svc", "key-1"), "scoped per service");
    }

    @Test
    void noRecordIsClaimed() {
        assertEquals(IdempotencyPolicy.Verdict.CLAIM, policy.decide(null, HASH, T0).verdict());
    }

    @Test
    void theSameRequestCompletedIsReplayed() {
        IdempotencyRecord record = completed(T0);
        IdempotencyPolicy.Decision decision = policy.decide(record, HASH, T0.plus(Duration.ofHours(23)));
        assertEquals(IdempotencyPolicy.Verdict.REPLAY, decision.verdict());
        assertSame(record, decision.existing());
    }

    @Test
    void aDifferentRequestUnderTheKeyIsAMismatchWhateverTheRecordsState() {
        assertEquals(IdempotencyPolicy.Verdict.MISMATCH, policy.decide(completed(T0), OTHER_HASH, T0.plusSeconds(1)).verdict());
        assertEquals(IdempotencyPolicy.Verdict.MISMATCH, policy.decide(inProgress(T0), OTHER_HASH, T0.plusSeconds(1)).verdict());
    }

    @Test
    void theDefaultLeaseOutlivesTheLongestServicesApiFunction() {
        // SubmitMessageBatchFunction has API Gateway's maximum of 29 s; a live request must keep its claim.
        assertTrue(IdempotencyPolicy.DEFAULT_LEASE.toSeconds() > 29);
    }

    @Test
    void theSameRequestInFlightIsAConflictUntilItsLeaseEnds() {
        IdempotencyPolicy.Decision decision = policy.decide(inProgress(T0), HASH, T0.plusMillis(12_500));
        assertEquals(IdempotencyPolicy.Verdict.IN_FLIGHT, decision.verdict());
        assertEquals(18, decision.retryAfterSeconds(), "17.5 s of lease left, rounded up");
        assertEquals(1, policy.decide(inProgress(T0), HASH, T0.plusMillis(29_999)).retryAfterSeconds());
        assertEquals(IdempotencyPolicy.Verdict.IN_FLIGHT, policy.decide(inProgress(T0), HASH, T0.plusSeconds(30)).verdict(),
                "the lease still holds at its last instant");
    }

    @Test
    void anExpiredLeaseFreesTheKeyForAnyRequest() {
        Instant afterLease = T0.plusSeconds(30).plusMillis(1);
        assertEquals(IdempotencyPolicy.Verdict.CLAIM, policy.decide(inProgress(T0), HASH, afterLease).verdict());
        assertEquals(IdempotencyPolicy.Verdict.CLAIM, policy.decide(inProgress(T0), OTHER_HASH, afterLease).verdict());
        assertTrue(IdempotencyPolicy.isClaimable(inProgress(T0), afterLease));
        assertFalse(IdempotencyPolicy.isClaimable(completed(T0), afterLease), "a completed record has no lease");
    }

    @Test
    void anExpiredRecordCountsAsAbsentEvenBeforeTtlDeletesIt() {
        IdempotencyRecord record = completed(T0);
        Instant lastSecond = Instant.ofEpochSecond(record.expiresAtEpochSecond());
        assertEquals(IdempotencyPolicy.Verdict.REPLAY, policy.decide(record, HASH, lastSecond).verdict());
        Instant expired = lastSecond.plusSeconds(1);
        assertTrue(IdempotencyPolicy.isExpired(record, expired));
        assertEquals(IdempotencyPolicy.Verdict.CLAIM, policy.decide(record, HASH, expired).verdict());
        assertEquals(IdempotencyPolicy.Verdict.CLAIM, policy.decide(record, OTHER_HASH, expired).verdict());
    }

    @Test
    void onlySuccessfulResponsesAreStored() {
        assertTrue(IdempotencyPolicy.isStored(CREATED));
        assertTrue(IdempotencyPolicy.isStored(ApiResponse.json(200, Map.of("results", 1))));
        assertFalse(IdempotencyPolicy.isStored(ApiResponse.problem(dev.ioserverless.common.Problem.badRequest("x: y"))));
        assertFalse(IdempotencyPolicy.isStored(ApiResponse.problem(
                dev.ioserverless.common.Problem.of(503, "Service unavailable", "message: not queued"))));
    }

    @Test
    void aCompletedRecordCarriesExactlyItsResponse() {
        assertThrows(IllegalArgumentException.class, () -> new IdempotencyRecord(PK, HASH,
                IdempotencyRecord.State.COMPLETED, "c", T0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new IdempotencyRecord(PK, HASH,
                IdempotencyRecord.State.IN_PROGRESS, "c", T0, 1, CREATED));
    }

    @Test
    void theHeaderIsOptionalAndOneTo255CharactersWithoutControls() {
        assertEquals(Optional.empty(), IdempotencyKey.parse(Optional.empty()));
        assertEquals(Optional.of("k"), IdempotencyKey.parse(Optional.of("k")));
        assertEquals(Optional.of("x".repeat(255)), IdempotencyKey.parse(Optional.of("x".repeat(255))));
        assertEquals(Optional.of("order 42 / è"), IdempotencyKey.parse(Optional.of("order 42 / è")));
        assertInvalid("", "Idempotency-Key: must not be empty");
        assertInvalid("x".repeat(256), "Idempotency-Key: must be at most 255 characters");
        assertInvalid("a\tb", "Idempotency-Key: must not contain control characters");
        assertInvalid("a\u007fb", "Idempotency-Key: must not contain control characters");
    }

    private static void assertInvalid(String header, String detail) {
        ProblemException e = assertThrows(ProblemException.class, () -> IdempotencyKey.parse(Optional.of(header)));
        assertEquals(400, e.problem().status());
        assertEquals(detail, e.problem().detail());
    }
}
