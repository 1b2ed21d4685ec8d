package dev.ioserverless.local.runtime.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A handler the container runtime's tests run in a real instance. The event's {@code action} says
 * what to do: report what the instance sees, throw, exit, wait at a gate, or outlive its timeout.
 */
public final class ProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String action = String.valueOf(event.get("action"));
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action) {
            case "report" -> {
                out.put("environment", new TreeMap<>(System.getenv()).keySet());
                out.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
                out.put("probe_property", System.getProperty("probe.property"));
                out.put("request_id", context.getAwsRequestId());
                out.put("function_arn", context.getInvokedFunctionArn());
                out.put("remaining_ms", context.getRemainingTimeInMillis());
                out.put("echo", event.get("echo"));
                out.put("credentials", credentials());
            }
            case "throw" -> throw new IllegalStateException("the probe was asked to fail");
            case "exit" -> Runtime.getRuntime().halt(3);
            case "gate" -> {
                try {
                    Path dir = Path.of(String.valueOf(event.get("dir")));
                    Files.writeString(dir.resolve("entered-" + context.getAwsRequestId()), "");
                    while (!Files.exists(dir.resolve("open"))) {
                        Thread.sleep(10);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                out.put("passed", true);
            }
            case "hang" -> {
                while (true) {
                    Thread.onSpinWait();
                }
            }
            default -> throw new IllegalArgumentException("unknown action " + action);
        }
        return out;
    }

    /** What the container credentials endpoint answers the instance, with its token. */
    private static String credentials() {
        String uri = System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        String token = System.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (uri == null || token == null) {
            return null;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Authorization", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }
}
