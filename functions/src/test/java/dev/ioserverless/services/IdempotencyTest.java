package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Problem;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claiming, replaying, refusing and finishing through a store with DynamoDB's conditions. */
class IdempotencyTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123Z");
    static final String HASH = "a".repeat(64);
    static final ApiResponse CREATED = ApiResponse.json(201, Map.of("id", "01HQZX3T5E8KJ4W2N6R9B7C1DM"),
            Map.of("Location", "/api/v1/messages/RSSMRA80A01H501U/01HQZX3T5E8KJ4W2N6R9B7C1DM"));

    final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    final Idempotency idempotency = new Idempotency(store, new IdempotencyPolicy(java.time.Duration.ofSeconds(30), IdempotencyPolicy.DEFAULT_RETENTION));

    IdempotencyRecord proceed(String hash, Instant now) {
        return assertInstanceOf(Idempotency.Proceed.class, idempotency.start("svc", "key", hash, now)).claim();
    }

    @Test
    void aStoredResponseIsReplayedMarkedAsSuch() {
        IdempotencyRecord claim = proceed(HASH, T0);
        assertEquals(Idempotency.Finish.STORED, idempotency.finish(claim, CREATED));
        Idempotency.Replay replay = assertInstanceOf(Idempotency.Replay.class,
                idempotency.start("svc", "key", HASH, T0.plusSeconds(60)));
        assertEquals(201, replay.response().status());
        assertEquals(CREATED.body(), replay.response().body());
        assertEquals(CREATED.headers().get("Location"), replay.response().headers().get("Location"));
        assertEquals("true", replay.response().headers().get("Idempotent-Replayed"));
    }

    @Test
    void aDifferentRequestIs422AndLeavesTheRecordAlone() {
        idempotency.finish(proceed(HASH, T0), CREATED);
        Idempotency.Refuse refuse = assertInstanceOf(Idempotency.Refuse.class,
                idempotency.start("svc", "key", "b".repeat(64), T0.plusSeconds(1)));
        assertEquals(422, refuse.response().status());
        assertTrue(refuse.problem().detail().startsWith("Idempotency-Key: "));
        assertEquals(IdempotencyRecord.State.COMPLETED, store.get(IdempotencyPolicy.partitionKey("svc", "key")).orElseThrow().state());
    }

    @Test
    void aClaimWrittenWhoseAnswerWasLostIsStillThisRequests() {
        // The SDK retried the conditional PutItem after the first attempt was served: the retry is refused.
        IdempotencyStore ambiguous = new InMemoryIdempotencyStore() {
            @Override
            public synchronized boolean tryClaim(IdempotencyRecord claim, Instant now) {
                super.tryClaim(claim, now);
                return false;
            }
        };
        Idempotency.Start start = new Idempotency(ambiguous, new IdempotencyPolicy()).start("svc", "key", HASH, T0);
        assertInstanceOf(Idempotency.Proceed.class, start, "not 409: the record in progress is this request's own");
    }

    @Test
    void theSameRequestInFlightIs409WithRetryAfter() {
        proceed(HASH, T0);
        Idempotency.Refuse refuse = assertInstanceOf(Idempotency.Refuse.class,
                idempotency.start("svc", "key", HASH, T0.plusSeconds(10)));
        assertEquals(409, refuse.response().status());
        assertEquals("20", refuse.response().headers().get("Retry-After"));
        assertEquals(Problem.CONTENT_TYPE, refuse.response().headers().get("Content-Type"));
    }

    @Test
    void aCrashedRequestsKeyIsTakenOverOnceItsLeaseRunsOutAndTheOldClaimCannotFinish() {
        IdempotencyRecord crashed = proceed(HASH, T0);
        IdempotencyRecord takeover = proceed(HASH, T0.plusSeconds(31));
        assertEquals(Idempotency.Finish.LOST, idempotency.finish(crashed, CREATED),
                "the first request woke up late: its claim is gone");
        assertEquals(Idempotency.Finish.STORED, idempotency.finish(takeover, CREATED));
        assertEquals(takeover.claimId(), store.get(IdempotencyPolicy.partitionKey("svc", "key")).orElseThrow().claimId());
    }

    @Test
    void aRejectedRequestFreesTheKeyForTheCorrectedOne() {
        IdempotencyRecord claim = proceed(HASH, T0);
        assertEquals(Idempotency.Finish.RELEASED,
                idempotency.finish(claim, ApiResponse.problem(Problem.badRequest("content.subject: required"))));
        assertEquals(0, store.size(), "nothing is left behind for a rejected request");
        proceed("c".repeat(64), T0.plusSeconds(1));
    }

    @Test
    void anExpiredRecordIsClaimedAfresh() {
        idempotency.finish(proceed(HASH, T0), CREATED);
        IdempotencyRecord fresh = proceed("d".repeat(64), T0.plusSeconds(24 * 3600 + 1));
        assertEquals(IdempotencyRecord.State.IN_PROGRESS, store.get(IdempotencyPolicy.partitionKey("svc", "key")).orElseThrow().state());
        assertEquals(fresh.claimId(), store.get(IdempotencyPolicy.partitionKey("svc", "key")).orElseThrow().claimId());
    }

    @Test
    void keysAreScopedPerService() {
        idempotency.finish(proceed(HASH, T0), CREATED);
        assertInstanceOf(Idempotency.Proceed.class, idempotency.start("other-svc", "key", HASH, T0.plusSeconds(1)));
    }

    @Test
    void aRecordThatVanishesBetweenClaimAndReadIsClaimedAgain() {
        IdempotencyStore racing = new IdempotencyStore() {
            int claims;

            @Override
            public boolean tryClaim(IdempotencyRecord claim, Instant now) {
                return ++claims > 1;
            }

            @Override
            public java.util.Optional<IdempotencyRecord> find(String key) {
                return java.util.Optional.empty();
            }

            @Override
            public boolean complete(IdempotencyRecord claim, ApiResponse response) {
                return true;
            }

            @Override
            public boolean release(IdempotencyRecord claim) {
                return true;
            }

            @Override
            public java.util.Optional<java.util.List<String>> reserveIds(String key, String requestHash,
                    java.util.List<String> fresh, Instant now, java.time.Duration retention) {
                return java.util.Optional.of(fresh);
            }
        };
        assertInstanceOf(Idempotency.Proceed.class,
                new Idempotency(racing, new IdempotencyPolicy(java.time.Duration.ofSeconds(30), IdempotencyPolicy.DEFAULT_RETENTION)).start("svc", "key", HASH, T0));
    }
}
