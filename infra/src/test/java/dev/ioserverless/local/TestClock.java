package dev.ioserverless.local;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The shared test platform's clock: the system's time, except while a test holds it still at an
 * instant it chose. Released, it runs on from there (never backwards), so messages and leases
 * written under it stay in order.
 */
public final class TestClock extends Clock {
    private volatile Instant held;
    private volatile long offsetNanos;

    public Instant now() {
        return instant();
    }

    /** Holds time at {@code at}, which must not be earlier than now. */
    public synchronized void hold(Instant at) {
        if (at.isBefore(instant())) {
            throw new IllegalArgumentException("time never runs backwards: " + at + " is before " + instant());
        }
        held = at;
    }

    /** Holds time at this very instant, and returns it. */
    public synchronized Instant holdNow() {
        held = instant();
        return held;
    }

    /** Lets time run again from the instant it was held at. */
    public synchronized void release() {
        if (held != null) {
            offsetNanos = java.time.Duration.between(Instant.now(), held).toNanos();
            held = null;
        }
    }

    @Override
    public Instant instant() {
        Instant at = held;
        return at != null ? at : Instant.now().plusNanos(offsetNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the platform tells time in UTC");
    }
}
