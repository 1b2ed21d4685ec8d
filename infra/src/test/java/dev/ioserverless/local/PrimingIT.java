package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Priming;
import dev.ioserverless.inbox.GetUserMessagesHandler;
import dev.ioserverless.payments.GetUserReceiptPdfHandler;
import dev.ioserverless.payments.GetUserReceiptsHandler;
import dev.ioserverless.local.template.FunctionSpec;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.Endpoint;
import software.amazon.awssdk.services.sns.model.PlatformApplication;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart priming on the local platform: every function of the template, built from its
 * configuration as Lambda builds it, primes with every step going as intended, and afterwards
 * every table holds exactly the items it held, every queue the messages it held, every SNS
 * endpoint, topic and subscription is as it was, and no device got a push.
 *
 * <p>The comparison is sound because nothing else runs between the two pictures: failsafe runs the
 * test classes one after another in one JVM, schedules are off, the pipeline is idle when the
 * first picture is taken (every queue a function consumes is empty, nothing in flight), and
 * priming is synchronous.
 */
class PrimingIT {
    private static final Duration IDLE_WITHIN = Duration.ofSeconds(60);
    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final LocalPlatform platform = TestPlatform.get();

    @Test
    void everyFunctionPrimesAndNothingAnywhereChanges() throws ReflectiveOperationException {
        TestPlatform.await(this::pipelineIdle, IDLE_WITHIN, "every consumed queue empty, nothing in flight: "
                + busyQueues());
        State before = state();
        assertFalse(before.items().values().stream().allMatch(Set::isEmpty), "the tables hold the demo's data");
        assertFalse(before.deliveries().isEmpty(), "the demo citizen's device is known");

        Map<String, Priming.Report> reports = new TreeMap<>();
        for (String id : platform.functionIds()) {
            FunctionSpec spec = platform.function(id).spec();
            Object handler = Class.forName(spec.handlerClass()).getConstructor(Config.class)
                    .newInstance(platform.functionConfig(id));
            assertInstanceOf(Priming.Primed.class, handler, id + " primes before its snapshot");
            reports.put(id, ((Priming.Primed) handler).prime());
        }

        State after = state();
        for (String table : before.items().keySet()) {
            Set<Map<String, AttributeValue>> added = new HashSet<>(after.items().get(table));
            added.removeAll(before.items().get(table));
            Set<Map<String, AttributeValue>> gone = new HashSet<>(before.items().get(table));
            gone.removeAll(after.items().get(table));
            assertTrue(added.isEmpty() && gone.isEmpty(),
                    table + ": " + added.size() + " items added or changed, " + gone.size() + " removed or changed");
        }
        assertEquals(before.items().keySet(), after.items().keySet(), "tables");
        assertEquals(before.queues(), after.queues(), "queue message counts");
        assertEquals(before.sns(), after.sns(), "SNS topics, subscriptions and endpoints");
        assertEquals(before.deliveries(), after.deliveries(), "pushes delivered to each device");
        assertTrue(pipelineIdle(), "nothing was queued for a function");

        assertEquals(platform.functionIds().size(), reports.size());
        reports.forEach((id, report) -> {
            assertEquals(List.of(), report.failed(), id + ": every step as intended, " + report);
            assertEquals(expectedSteps(platform.function(id).spec(), platform.functionConfig(id)),
                    Set.copyOf(report.succeeded()), id + ": " + report);
        });
    }

    /**
     * The steps a function's configuration calls for: JSON, its own path, and a read per SDK client
     * it holds. The inbox and receipt lists may only Query, which their own path does; the receipt
     * PDF also renders a receipt of nobody's.
     */
    private static Set<String> expectedSteps(FunctionSpec spec, Config config) {
        Set<String> steps = new HashSet<>(List.of("json", "handler"));
        if (!Set.of(GetUserMessagesHandler.class.getName(), GetUserReceiptsHandler.class.getName())
                .contains(spec.handlerClass())) {
            steps.add("dynamodb");
        }
        if (spec.handlerClass().equals(GetUserReceiptPdfHandler.class.getName())) {
            steps.add("pdf");
        }
        if (config.find("MESSAGE_CREATED_QUEUE_URL").isPresent()) {
            steps.add("sqs");
        }
        if (config.find("MESSAGE_EVENTS_TOPIC_ARN").isPresent() || config.find("FCM_PLATFORM_APPLICATION_ARN").isPresent()
                || config.find("APNS_PLATFORM_APPLICATION_ARN").isPresent()) {
            steps.add("sns");
        }
        return steps;
    }

    /** Every queue a function consumes holds no message, visible, in flight or delayed. */
    private boolean pipelineIdle() {
        for (String id : platform.functionIds()) {
            for (FunctionSpec.SqsTrigger trigger : platform.function(id).spec().sqsTriggers()) {
                if (counts(platform.queueUrl(trigger.queueLogicalId())).values().stream().anyMatch(n -> !n.equals("0"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The consumed queues still holding messages, with their counts (what the wait waits for). */
    private Map<String, Map<String, String>> busyQueues() {
        Map<String, Map<String, String>> busy = new TreeMap<>();
        for (String id : platform.functionIds()) {
            for (FunctionSpec.SqsTrigger trigger : platform.function(id).spec().sqsTriggers()) {
                Map<String, String> counts = counts(platform.queueUrl(trigger.queueLogicalId()));
                if (counts.values().stream().anyMatch(n -> !n.equals("0"))) {
                    busy.put(trigger.queueLogicalId(), counts);
                }
            }
        }
        return busy;
    }

    private Map<String, String> counts(String queueUrl) {
        Map<String, String> counts = new TreeMap<>();
        platform.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(COUNTS))
                .attributes().forEach((name, value) -> counts.put(name.toString(), value));
        return counts;
    }

    /**
     * How many messages a queue holds, visible, in flight or delayed: a message whose visibility
     * ends while priming runs (one a test's own subscriber queue received and let go) moves from in
     * flight to visible, and the queue still holds what it held.
     */
    private int held(String queueUrl) {
        return counts(queueUrl).values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** What priming must leave as it was. */
    private record State(Map<String, Set<Map<String, AttributeValue>>> items, Map<String, Integer> queues,
                         List<String> sns, Map<String, Integer> deliveries) {
    }

    private State state() {
        Map<String, Set<Map<String, AttributeValue>>> items = new TreeMap<>();
        long now = java.time.Instant.now().getEpochSecond();
        for (String table : platform.dynamoDb().listTablesPaginator(b -> { }).tableNames()) {
            Set<Map<String, AttributeValue>> all = new HashSet<>();
            var ttl = platform.dynamoDb().describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
            String ttlAttribute = ttl == null ? null : ttl.attributeName();
            platform.dynamoDb().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
                // An item past its TTL may be deleted at any moment, by DynamoDB as by DynamoDB Local: not priming's doing.
                AttributeValue expires = ttlAttribute == null ? null : item.get(ttlAttribute);
                if (expires == null || expires.n() == null || Long.parseLong(expires.n()) > now + 60) {
                    all.add(item);
                }
            });
            items.put(table, all);
        }
        Map<String, Integer> queues = new TreeMap<>();
        for (String url : platform.sqs().listQueues().queueUrls()) {
            queues.put(url, held(url));
        }
        List<String> sns = new ArrayList<>();
        platform.sns().listTopicsPaginator().topics().forEach(topic -> sns.add(topic.topicArn()));
        platform.sns().listSubscriptionsPaginator().subscriptions().forEach(s ->
                sns.add(s.subscriptionArn() + " " + s.protocol() + " " + s.endpoint()));
        Map<String, Integer> deliveries = new TreeMap<>();
        deliveries.put(TestPlatform.demoJson().path("citizen_device_token").asText(), 0);
        for (PlatformApplication application : platform.sns().listPlatformApplications().platformApplications()) {
            for (Endpoint endpoint : platform.sns().listEndpointsByPlatformApplication(b -> b
                    .platformApplicationArn(application.platformApplicationArn())).endpoints()) {
                sns.add(endpoint.endpointArn() + " " + new TreeMap<>(endpoint.attributes()));
                deliveries.put(endpoint.attributes().get("Token"), 0);
            }
        }
        deliveries.replaceAll((token, none) -> deliveries(token));
        return new State(items, queues, sns, deliveries);
    }

    /** How many pushes the device with this token has received. */
    private static int deliveries(String token) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/push-deliveries?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).GET());
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body()).path("deliveries").size();
    }
}
