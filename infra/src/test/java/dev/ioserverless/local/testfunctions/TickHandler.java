package dev.ioserverless.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ioserverless.common.Config;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scheduled function: records the time of each event and answers it back. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final List<String> TIMES = new CopyOnWriteArrayList<>();

    public TickHandler(Config config) {
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String time = String.valueOf(event.get("time"));
        TIMES.add(time);
        return Map.of("ticked_at", time, "detail_type", String.valueOf(event.get("detail-type")));
    }
}
