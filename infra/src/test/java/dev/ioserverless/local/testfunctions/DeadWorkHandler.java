package dev.ioserverless.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.Config;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what reached the dead-letter queue, with the receive count it arrived with. */
public final class DeadWorkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final List<String> BODIES = new CopyOnWriteArrayList<>();
    public static final Map<String, String> SOURCE_ARNS = new ConcurrentHashMap<>();

    public DeadWorkHandler(Config config) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            BODIES.add(record.getBody());
            SOURCE_ARNS.put(record.getBody(), record.getEventSourceArn());
        }
        return new SQSBatchResponse(List.of());
    }
}
