package dev.ioserverless.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.Config;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds every batch until the test opens {@link #GATE}, so a test sees how many batches run at
 * once without timing anything. A batch still held after 20 s fails (and so does the test that
 * forgot to open the gate): the handler never passes by waiting.
 */
public final class HoldHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static volatile CountDownLatch GATE = new CountDownLatch(1);
    public static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    public static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
    public static final List<String> DONE = new CopyOnWriteArrayList<>();

    public HoldHandler(Config config) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
        try {
            if (!GATE.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
        event.getRecords().forEach(record -> DONE.add(record.getBody()));
        return new SQSBatchResponse(List.of());
    }
}
