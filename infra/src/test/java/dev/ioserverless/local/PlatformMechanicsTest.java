package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.testfunctions.DeadWorkHandler;
import dev.ioserverless.local.testfunctions.HoldHandler;
import dev.ioserverless.local.testfunctions.TickHandler;
import dev.ioserverless.local.testfunctions.WorkHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The platform's own mechanics, on a small test template: template reading and intrinsics,
 * provisioning, HTTP routing to payload 2.0 events, timeouts, SQS event source mappings with
 * partial failures, retries and dead letters, subscriptions with filters, and schedules.
 */
class PlatformMechanicsTest {
    private static LocalPlatform platform;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path state = Files.createTempDirectory("io-local-mechanics");
        platform = LocalPlatform.start(LocalPlatform.Options.defaults()
                .withInProcess(true)   // the test template's handlers are test classes, not in the deployment artifact
                .withPort(0)
                .withStateDir(state)
                .withTemplate(Path.of("src/test/resources/platform-test-template.yaml"))
                .withSchedules(false)
                .withSeedDemo(false));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** Every server of the platform listens on loopback only: from another address of this machine, nothing answers. */
    @Test
    void everyEndpointListensOnLoopbackOnly() throws Exception {
        java.net.InetAddress outside = null;
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    outside = address;
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "this machine has no address but loopback");
        for (java.net.URI endpoint : List.of(platform.apiBaseUrl(), platform.dynamoDbEndpoint(), platform.sqsEndpoint(),
                platform.snsEndpoint(), platform.ssmEndpoint(), platform.s3Endpoint(), platform.kmsEndpoint(),
                platform.remoteContent().baseUrl())) {
            try (java.net.Socket socket = new java.net.Socket()) {
                java.net.InetAddress address = outside;
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> socket.connect(new java.net.InetSocketAddress(address, endpoint.getPort()), 2000),
                        endpoint + " answers on " + address);
            }
        }
    }

    @Test
    void tablesAreCreatedWithIndexesAndTtl() {
        var table = platform.dynamoDb().describeTable(b -> b.tableName("io-local-items")).table();
        assertEquals("pk", table.keySchema().get(0).attributeName());
        assertEquals(1, table.globalSecondaryIndexes().size());
        assertEquals("by-owner", table.globalSecondaryIndexes().get(0).indexName());
        assertEquals(ProjectionType.KEYS_ONLY, table.globalSecondaryIndexes().get(0).projection().projectionType());
        assertEquals(IndexStatus.ACTIVE, table.globalSecondaryIndexes().get(0).indexStatus());
        var ttl = platform.dynamoDb().describeTimeToLive(b -> b.tableName("io-local-items")).timeToLiveDescription();
        assertEquals("expires_at", ttl.attributeName());
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
    }

    @Test
    void queuesHaveTheirAttributesAndRedrivePolicy() {
        var attributes = platform.sqs().getQueueAttributes(b -> b.queueUrl(platform.queueUrl("WorkQueue"))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("3", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        JsonNode redrive = Json.read(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals("arn:aws:sqs:eu-south-1:000000000000:io-local-WorkDLQ", redrive.path("deadLetterTargetArn").asText());
        assertEquals(2, redrive.path("maxReceiveCount").asInt());
    }

    @Test
    void functionSeesExactlyItsTemplateEnvironmentPlusRuntimeVariables() throws Exception {
        JsonNode echo = Json.read(get("/echo/world").body());
        JsonNode config = echo.path("config");
        assertEquals("hello", config.path("GREETING").asText());
        assertEquals("io-local-items", config.path("ITEMS_TABLE").asText());
        assertEquals(platform.queueUrl("WorkQueue"), config.path("WORK_QUEUE_URL").asText());
        assertEquals("arn:aws:sns:eu-south-1:000000000000:io-local-EventsTopic", config.path("TOPIC_ARN").asText());
        assertEquals("a-b", config.path("JOINED").asText());
        assertEquals(platform.dynamoDbEndpoint().toString(), config.path("AWS_ENDPOINT_URL_DYNAMODB").asText());
        assertEquals("eu-south-1", config.path("AWS_REGION").asText());
        assertFalse(config.has("PATH"), "the process environment must not leak into a function's configuration");
        assertFalse(config.has("HOME"));
        assertEquals("io-local-EchoFunction", echo.path("functionName").asText());
    }

    @Test
    void httpRequestsBecomePayloadFormat2Events() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/echo/Mario%20Rossi?b=2&a=1"))
                .header("Content-Type", "application/json")
                .header("X-Custom", "Value")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("yes", response.headers().firstValue("X-Echo").orElseThrow());
        JsonNode echo = Json.read(response.body());
        assertEquals("2.0", echo.path("version").asText());
        assertEquals("POST /echo/{name}", echo.path("routeKey").asText());
        assertEquals("/echo/Mario%20Rossi", echo.path("rawPath").asText());
        assertEquals("b=2&a=1", echo.path("rawQueryString").asText());
        assertEquals("Mario Rossi", echo.path("pathParameters").path("name").asText());
        assertEquals("1", echo.path("queryStringParameters").path("a").asText());
        assertEquals("Value", echo.path("headers").path("x-custom").asText(), "header names are lower-cased");
        assertEquals("{\"x\":1}", echo.path("body").asText());
        assertFalse(echo.path("isBase64Encoded").asBoolean());
        assertEquals("127.0.0.1", echo.path("sourceIp").asText());
    }

    @Test
    void binaryBodiesArriveBase64Encoded() throws Exception {
        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xfe};
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/echo/bin"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode echo = Json.read(response.body());
        assertTrue(echo.path("isBase64Encoded").asBoolean());
        assertEquals("/wD+", echo.path("body").asText());
    }

    @Test
    void greedyRoutesAndAnyMethodMatch() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/files/a/b/c.txt"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode echo = Json.read(response.body());
        assertEquals("a/b/c.txt", echo.path("pathParameters").path("proxy").asText());
        assertEquals("ANY /files/{proxy+}", echo.path("routeKey").asText());
    }

    @Test
    void unknownRoutesAre404AndUnservedMethods405AsProblems() throws Exception {
        HttpResponse<String> nothing = get("/nothing/here");
        assertEquals(404, nothing.statusCode());
        assertEquals("application/problem+json", nothing.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(url("/echo/x")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, delete.statusCode());
        assertEquals("application/problem+json", delete.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, get("/echo/x/extra").statusCode());
    }

    @Test
    void aFunctionPastItsTimeoutAnswers503() throws Exception {
        assertEquals(503, get("/slow").statusCode());
    }

    @Test
    void healthIsOk() throws Exception {
        HttpResponse<String> response = get("/_local/health");
        assertEquals(200, response.statusCode());
        assertEquals("ok", Json.read(response.body()).path("status").asText());
    }

    @Test
    void sqsTriggerDeletesSuccessesAndRetriesReportedFailuresIntoTheDeadLetterQueue() {
        String ok = "ok-" + UUID.randomUUID();
        String fail = "fail-" + UUID.randomUUID();
        String queue = platform.queueUrl("WorkQueue");
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(ok));
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(fail));

        await(() -> DeadWorkHandler.BODIES.contains(fail), Duration.ofSeconds(20));
        assertEquals(1, WorkHandler.ATTEMPTS.get(ok).get(), "a success is deleted, never redelivered");
        assertEquals(2, WorkHandler.ATTEMPTS.get(fail).get(), "a reported failure is retried up to maxReceiveCount");
        assertFalse(DeadWorkHandler.BODIES.contains(ok));
        assertEquals("arn:aws:sqs:eu-south-1:000000000000:io-local-WorkDLQ", DeadWorkHandler.SOURCE_ARNS.get(fail));
    }

    @Test
    void aThrowingHandlerKeepsTheWholeBatch() {
        String crash = "crash-" + UUID.randomUUID();
        String queue = platform.queueUrl("WorkQueue");
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(crash));
        await(() -> DeadWorkHandler.BODIES.contains(crash), Duration.ofSeconds(20));
        assertEquals(2, WorkHandler.ATTEMPTS.get(crash).get());
        assertFalse(WorkHandler.SUCCEEDED.contains(crash));
    }

    @Test
    void theBatchingWindowGathersUpToBatchSize() {
        String queue = platform.queueUrl("WorkQueue");
        String prefix = "batch-" + UUID.randomUUID() + "-";
        int before = WorkHandler.BATCH_SIZES.size();
        platform.sqs().sendMessageBatch(b -> b.queueUrl(queue).entries(
                java.util.stream.IntStream.range(0, 7).mapToObj(i -> software.amazon.awssdk.services.sqs.model
                        .SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(prefix + i).build()).toList()));
        await(() -> WorkHandler.SUCCEEDED.stream().filter(s -> s.startsWith(prefix)).count() == 7, Duration.ofSeconds(10));
        List<Integer> sizes = WorkHandler.BATCH_SIZES.subList(before, WorkHandler.BATCH_SIZES.size());
        assertTrue(sizes.stream().allMatch(size -> size <= 5), "never more than BatchSize: " + sizes);
        assertTrue(sizes.stream().anyMatch(size -> size > 1), "the window gathers several messages: " + sizes);
    }

    @Test
    void batchesRunConcurrentlyUpToTheMappingsMaximumConcurrency() {
        assertEquals(3, platform.function("HoldFunction").spec().sqsTriggers().get(0).concurrency(),
                "ScalingConfig.MaximumConcurrency");
        assertEquals(2, platform.function("WorkFunction").spec().sqsTriggers().get(0).concurrency(), "the local default");
        String queue = platform.queueUrl("HoldQueue");
        String prefix = "hold-" + UUID.randomUUID() + "-";
        // Twelve messages in batches of at most two: more batches than the three allowed at once.
        platform.sqs().sendMessageBatch(b -> b.queueUrl(queue).entries(
                java.util.stream.IntStream.range(0, 10).mapToObj(i -> software.amazon.awssdk.services.sqs.model
                        .SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(prefix + i).build()).toList()));
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(prefix + 10));
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(prefix + 11));
        // Every batch waits at the gate, so all three pollers end up holding one at the same time.
        await(() -> HoldHandler.IN_FLIGHT.get() == 3, Duration.ofSeconds(20));
        HoldHandler.GATE.countDown();
        await(() -> HoldHandler.DONE.stream().filter(s -> s.startsWith(prefix)).count() >= 12, Duration.ofSeconds(20));
        assertEquals(3, HoldHandler.MAX_IN_FLIGHT.get(), "never more than MaximumConcurrency batches at once");
        assertEquals(12, HoldHandler.DONE.stream().filter(s -> s.startsWith(prefix)).distinct().count());
        assertEquals(12, HoldHandler.DONE.stream().filter(s -> s.startsWith(prefix)).count(),
                "each message handled once: the visibility timeout outlasts the function's timeout");
    }

    @Test
    void subscriptionsDeliverOnlyWhatTheirFilterPolicyAccepts() {
        String topic = platform.stack().arn("EventsTopic");
        String queue = platform.queueUrl("AuditQueue");
        String id = UUID.randomUUID().toString();
        platform.sns().publish(b -> b.topicArn(topic).message("skip-" + id)
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("other").build())));
        platform.sns().publish(b -> b.topicArn(topic).message("keep-" + id)
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("audit").build())));
        var received = platform.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2))
                .messages();
        assertEquals(List.of("keep-" + id), received.stream().map(m -> m.body()).toList(),
                "raw delivery of the matching message only");
    }

    @Test
    void whatASubscriptionCannotDeliverGoesToItsDeadLetterQueue() {
        platform.sqs().deleteQueue(b -> b.queueUrl(platform.queueUrl("LostQueue")));
        String body = "lost-" + UUID.randomUUID();

        platform.sns().publish(b -> b.topicArn(platform.stack().arn("EventsTopic")).message(body)
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("lost").build())));

        List<String> deadLetters = new java.util.ArrayList<>();
        await(() -> {
            platform.sqs().receiveMessage(b -> b.queueUrl(platform.queueUrl("LostSubscriptionDLQ"))
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages().forEach(m -> deadLetters.add(m.body()));
            return deadLetters.contains(body);
        }, Duration.ofSeconds(20));
        assertEquals(List.of(body), deadLetters, "the raw message, once");

        String subscriptionArn = platform.sns().listSubscriptionsByTopic(b -> b.topicArn(platform.stack().arn("EventsTopic")))
                .subscriptions().stream().filter(s -> s.endpoint().endsWith(":io-local-LostQueue"))
                .findFirst().orElseThrow().subscriptionArn();
        assertEquals("{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-south-1:000000000000:io-local-LostSubscriptionDLQ\"}",
                platform.sns().getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes()
                        .get("RedrivePolicy"), "the template's RedrivePolicy, as the subscription reports it");
    }

    @Test
    void aScheduledFunctionRunsOnceAsOfTheGivenInstant() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                url("/_local/schedules/TickFunction/run?now=2026-03-01T08:00:00Z"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = Json.read(response.body()).path("result");
        assertEquals("2026-03-01T08:00:00Z", result.path("ticked_at").asText());
        assertEquals("Scheduled Event", result.path("detail_type").asText());
        assertTrue(TickHandler.TIMES.contains("2026-03-01T08:00:00Z"));

        assertEquals(404, HTTP.send(HttpRequest.newBuilder(url("/_local/schedules/EchoFunction/run"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(400, HTTP.send(HttpRequest.newBuilder(url("/_local/schedules/TickFunction/run?now=yesterday"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create(platform.apiBaseUrl() + path);
    }

    static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
