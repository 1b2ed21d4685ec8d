package dev.ioserverless.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.InternalServerErrorException;

class SsmCallbackSecretsTest {
    static final String A = "a".repeat(32);
    static final String B = "b".repeat(32);

    /** A Parameter Store answering the value set, or failing; counts its reads. */
    static final class FakeSsm implements SsmClient {
        final AtomicReference<String> value = new AtomicReference<>(A);
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;
        volatile GetParameterRequest last;

        @Override
        public GetParameterResponse getParameter(GetParameterRequest request) {
            reads.incrementAndGet();
            last = request;
            if (failing) {
                throw InternalServerErrorException.builder().message("down").build();
            }
            return GetParameterResponse.builder().parameter(p -> p.name(request.name()).value(value.get())).build();
        }

        @Override
        public String serviceName() {
            return "ssm";
        }

        @Override
        public void close() {
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void theSecretsAreReadOnceThenAgainAfterFiveMinutes() {
        FakeSsm ssm = new FakeSsm();
        MovableClock clock = new MovableClock();
        SsmCallbackSecrets secrets = new SsmCallbackSecrets(ssm, "/io/secrets", clock);
        assertEquals(List.of(A), secrets.current());
        assertEquals("/io/secrets", ssm.last.name());
        assertEquals(true, ssm.last.withDecryption());
        ssm.value.set(B + "\n" + A);
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertEquals(List.of(A), secrets.current());
        assertEquals(1, ssm.reads.get());
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertEquals(List.of(B, A), secrets.current());
        assertEquals(2, ssm.reads.get());
    }

    @Test
    void aFailedRefreshKeepsTheSecretsHeldAndTriesAgainSoon() {
        FakeSsm ssm = new FakeSsm();
        MovableClock clock = new MovableClock();
        SsmCallbackSecrets secrets = new SsmCallbackSecrets(ssm, "/io/secrets", clock);
        secrets.current();
        ssm.failing = true;
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertEquals(List.of(A), secrets.current());
        assertEquals(List.of(A), secrets.current());
        assertEquals(2, ssm.reads.get(), "not again within the retry pause");
        ssm.failing = false;
        ssm.value.set(B);
        clock.now = clock.now.plus(Duration.ofSeconds(31));
        assertEquals(List.of(B), secrets.current());
    }

    @Test
    void aContainerThatNeverReadThemFails() {
        FakeSsm ssm = new FakeSsm();
        ssm.failing = true;
        SsmCallbackSecrets secrets = new SsmCallbackSecrets(ssm, "/io/secrets", new MovableClock());
        assertThrows(InternalServerErrorException.class, secrets::current);
    }
}
