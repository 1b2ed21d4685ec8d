package dev.ioserverless.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every record it sees. Bodies starting with "fail" are reported as failed items,
 * "crash" throws (failing the whole batch), anything else succeeds.
 */
public final class WorkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    public static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();
    public static final List<String> SUCCEEDED = new CopyOnWriteArrayList<>();

    public WorkHandler(Config config) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        BATCH_SIZES.add(event.getRecords().size());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean crash = false;
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            ATTEMPTS.computeIfAbsent(record.getBody(), k -> new AtomicInteger()).incrementAndGet();
            if (record.getBody().startsWith("fail")) {
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            } else if (record.getBody().startsWith("crash")) {
                crash = true;
            }
        }
        if (crash) {
            throw new IllegalStateException("crash requested");
        }
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            if (!record.getBody().startsWith("fail")) {
                SUCCEEDED.add(record.getBody());
            }
        }
        return new SQSBatchResponse(failures);
    }
}
