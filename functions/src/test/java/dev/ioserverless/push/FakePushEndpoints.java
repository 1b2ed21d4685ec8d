package dev.ioserverless.push;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SNS platform endpoints in memory, behaving as {@link SnsPushEndpoints} over SNS does: one endpoint
 * per token and platform, reused (and re-enabled) when created again. It records every push and call,
 * and can be told to throttle or fail.
 */
public final class FakePushEndpoints implements PushEndpoints {
    public record Endpoint(String arn, Platform platform, String token, boolean enabled) {
    }

    public record Push(String endpointArn, Platform platform, PushNotification notification) {
    }

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    public final List<Push> pushes = Collections.synchronizedList(new ArrayList<>());
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** Publishes to throttle before one goes through: -1 means never throttle. */
    public volatile int throttleAfter = -1;
    public volatile RuntimeException failPublishWith;
    /** Endpoints whose publishes fail (as SNS answering 500), the others going through. */
    public final java.util.Set<String> failingEndpoints = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized String create(Platform platform, String token) {
        calls.add("create " + platform.value());
        for (Endpoint endpoint : endpoints.values()) {
            if (endpoint.platform() == platform && endpoint.token().equals(token)) {
                if (!endpoint.enabled()) {
                    update(endpoint.arn(), token);
                }
                return endpoint.arn();
            }
        }
        String arn = "arn:aws:sns:eu-south-1:000000000000:endpoint/" + (platform == Platform.APNS ? "APNS" : "GCM")
                + "/io/" + UUID.randomUUID();
        endpoints.put(arn, new Endpoint(arn, platform, token, true));
        return arn;
    }

    @Override
    public Optional<EndpointState> describe(String endpointArn) {
        calls.add("describe");
        Endpoint endpoint = endpoints.get(endpointArn);
        return endpoint == null ? Optional.empty() : Optional.of(new EndpointState(endpoint.token(), endpoint.enabled()));
    }

    @Override
    public synchronized void update(String endpointArn, String token) {
        calls.add("update");
        Endpoint endpoint = endpoints.get(endpointArn);
        if (endpoint == null) {
            throw new IllegalStateException("no endpoint " + endpointArn);
        }
        endpoints.put(endpointArn, new Endpoint(endpointArn, endpoint.platform(), token, true));
    }

    @Override
    public void delete(String endpointArn) {
        calls.add("delete " + endpointArn);
        endpoints.remove(endpointArn);
    }

    @Override
    public synchronized PublishResult publish(String endpointArn, Platform platform, PushNotification notification) {
        calls.add("publish " + endpointArn);
        if (throttleAfter == 0) {
            throw new PushThrottledException(null);
        }
        if (throttleAfter > 0) {
            throttleAfter--;
        }
        if (failPublishWith != null) {
            throw failPublishWith;
        }
        if (failingEndpoints.contains(endpointArn)) {
            throw new IllegalStateException("SNS answered 500");
        }
        Endpoint endpoint = endpoints.get(endpointArn);
        if (endpoint == null) {
            return PublishResult.ENDPOINT_GONE;
        }
        if (!endpoint.enabled()) {
            return PublishResult.ENDPOINT_DISABLED;
        }
        pushes.add(new Push(endpointArn, platform, notification));
        return PublishResult.DELIVERED;
    }

    /** What SNS does when the provider reports the token dead. */
    public synchronized void disable(String endpointArn) {
        Endpoint endpoint = endpoints.get(endpointArn);
        endpoints.put(endpointArn, new Endpoint(endpointArn, endpoint.platform(), endpoint.token(), false));
    }

    public boolean exists(String endpointArn) {
        return endpoints.containsKey(endpointArn);
    }

    public Endpoint endpoint(String endpointArn) {
        return endpoints.get(endpointArn);
    }

    public List<Push> pushesTo(String endpointArn) {
        return pushes.stream().filter(p -> p.endpointArn().equals(endpointArn)).toList();
    }
}
