package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The emulator driven by the real SNS SDK client, delivering to an in-process ElasticMQ. */
class SnsEmulatorTest {

    private static final Region REGION = Region.EU_SOUTH_1;
    private static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static SQSRestServer elasticMq;
    private static SqsClient sqs;
    private static SnsEmulator emulator;
    private static SnsClient sns;

    @BeforeAll
    static void startServers() throws IOException {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0)
                .withAWSRegion(REGION.id()).withAWSAccountId(ACCOUNT).start();
        int sqsPort = elasticMq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(REGION).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        emulator = new SnsEmulator(sqs, REGION.id(), ACCOUNT);
        emulator.start("127.0.0.1", 0);
        sns = SnsClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(REGION).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopServers() {
        if (sns != null) {
            sns.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (elasticMq != null) {
            elasticMq.stopAndWait();
        }
    }

    // ---- topics and subscriptions -----------------------------------------------------------

    @Test
    void createsTopicsAndSubscriptionsThroughTheSdk() {
        String name = unique("events");
        String topicArn = sns.createTopic(r -> r.name(name)).topicArn();
        assertEquals("arn:aws:sns:eu-south-1:000000000000:" + name, topicArn);
        assertEquals(topicArn, sns.createTopic(r -> r.name(name)).topicArn(), "CreateTopic is idempotent");
        assertEquals(topicArn, emulator.createTopic(name, Map.of()), "the programmatic API sees the same topic");
        assertTrue(listTopicArns().contains(topicArn));

        Queue queue = queue("sub");
        String subscriptionArn = sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())
                .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", "{\"kind\":[\"a\"]}"))
                .returnSubscriptionArn(true)).subscriptionArn();
        assertTrue(subscriptionArn.startsWith(topicArn + ":"), subscriptionArn);
        assertEquals(subscriptionArn, sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()))
                .subscriptionArn(), "subscribing the same queue again returns the existing subscription");
        assertEquals(subscriptionArn, emulator.subscribe(topicArn, "sqs", queue.arn(), null));

        List<Subscription> byTopic = sns.listSubscriptionsByTopic(r -> r.topicArn(topicArn)).subscriptions();
        assertEquals(1, byTopic.size());
        Subscription listed = byTopic.get(0);
        assertEquals(subscriptionArn, listed.subscriptionArn());
        assertEquals("sqs", listed.protocol());
        assertEquals(queue.arn(), listed.endpoint());
        assertEquals(topicArn, listed.topicArn());
        assertEquals(ACCOUNT, listed.owner());
        assertTrue(sns.listSubscriptions().subscriptions().stream()
                .anyMatch(s -> s.subscriptionArn().equals(subscriptionArn)));

        Map<String, String> topicAttributes = sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes();
        assertEquals(topicArn, topicAttributes.get("TopicArn"));
        assertEquals("1", topicAttributes.get("SubscriptionsConfirmed"));
        assertEquals(ACCOUNT, topicAttributes.get("Owner"));

        Map<String, String> subscriptionAttributes =
                sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)).attributes();
        assertEquals("true", subscriptionAttributes.get("RawMessageDelivery"));
        assertEquals("{\"kind\":[\"a\"]}", subscriptionAttributes.get("FilterPolicy"));
        assertEquals("MessageAttributes", subscriptionAttributes.get("FilterPolicyScope"));
        assertEquals("false", subscriptionAttributes.get("PendingConfirmation"));
        assertEquals(queue.arn(), subscriptionAttributes.get("Endpoint"));
    }

    @Test
    void rejectsBadSubscriptions() {
        String topicArn = topic("bad-subs");
        Queue queue = queue("bad-subs");
        assertThrows(NotFoundException.class, () -> sns.subscribe(r -> r.topicArn(topicArn + "-missing")
                .protocol("sqs").endpoint(queue.arn())));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(topicArn)
                .protocol("http").endpoint("http://example.com/hook")));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(topicArn)
                .protocol("sqs").endpoint("not-an-arn")));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(topicArn)
                .protocol("sqs").endpoint(queue.arn()).attributes(Map.of("FilterPolicy", "{\"a\":[{\"bogus\":1}]}"))));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(topicArn)
                .protocol("sqs").endpoint(queue.arn()).attributes(Map.of("RawMessageDelivery", "yes"))));
        assertTrue(sns.listSubscriptionsByTopic(r -> r.topicArn(topicArn)).subscriptions().isEmpty(),
                "a rejected Subscribe creates nothing");
        assertThrows(IllegalArgumentException.class, () -> emulator.createTopic("bad name!", Map.of()));
    }

    @Test
    void unsubscribeAndDeleteTopic() {
        String topicArn = topic("lifecycle");
        Queue queue = queue("lifecycle");
        String subscriptionArn = subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        sns.unsubscribe(r -> r.subscriptionArn(subscriptionArn));
        sns.publish(r -> r.topicArn(topicArn).message("after unsubscribe"));
        assertTrue(drain(queue).isEmpty());
        assertThrows(NotFoundException.class, () -> sns.unsubscribe(r -> r.subscriptionArn(subscriptionArn)));
        assertThrows(NotFoundException.class,
                () -> sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)));

        String second = subscribe(topicArn, queue, Map.of());
        sns.deleteTopic(r -> r.topicArn(topicArn));
        assertFalse(listTopicArns().contains(topicArn));
        assertTrue(sns.listSubscriptions().subscriptions().stream().noneMatch(s -> s.subscriptionArn().equals(second)),
                "deleting a topic deletes its subscriptions");
        assertThrows(NotFoundException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("gone")));
        assertThrows(NotFoundException.class, () -> sns.getTopicAttributes(r -> r.topicArn(topicArn)));
        sns.deleteTopic(r -> r.topicArn(topicArn)); // idempotent, as in SNS
    }

    // ---- delivery ---------------------------------------------------------------------------

    @Test
    void rawDeliveryKeepsBodyAndAttributes() {
        String topicArn = topic("raw");
        Queue queue = queue("raw");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));
        String body = "Grüße <b>&amp;</b> \"quoted\" 'single' ✓\nsecond line";
        byte[] binary = {0, 1, 2, (byte) 0xff};

        PublishResponse published = sns.publish(r -> r.topicArn(topicArn).message(body).subject("Ignored for raw")
                .messageAttributes(Map.of(
                        "kind", stringAttribute("String", "payment-notice"),
                        "amount", stringAttribute("Number", "12.50"),
                        "tags", stringAttribute("String.Array", "[\"a\",\"b\"]"),
                        "blob", software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder()
                                .dataType("Binary").binaryValue(SdkBytes.fromByteArray(binary)).build())));
        assertNotNull(UUID.fromString(published.messageId()));
        assertNull(published.sequenceNumber(), "no sequence number on a standard topic");

        List<Message> received = drain(queue);
        assertEquals(1, received.size());
        Message message = received.get(0);
        assertEquals(body, message.body());
        var attributes = message.messageAttributes();
        assertEquals(Set.of("kind", "amount", "tags", "blob"), attributes.keySet());
        assertEquals("String", attributes.get("kind").dataType());
        assertEquals("payment-notice", attributes.get("kind").stringValue());
        assertEquals("Number", attributes.get("amount").dataType());
        assertEquals("12.50", attributes.get("amount").stringValue());
        assertEquals("String.Array", attributes.get("tags").dataType());
        assertEquals("[\"a\",\"b\"]", attributes.get("tags").stringValue());
        assertEquals("Binary", attributes.get("blob").dataType());
        assertArrayEquals(binary, attributes.get("blob").binaryValue().asByteArray());
    }

    @Test
    void envelopeDeliveryCarriesTheNotificationFields() throws Exception {
        String topicArn = topic("envelope");
        Queue queue = queue("envelope");
        String subscriptionArn = subscribe(topicArn, queue, Map.of());
        Instant before = Instant.now().minusSeconds(1);

        String messageId = sns.publish(r -> r.topicArn(topicArn).message("{\"hello\":\"world\"}").subject("Greeting")
                .messageAttributes(Map.of("kind", stringAttribute("String", "greeting"),
                        "count", stringAttribute("Number", "3")))).messageId();
        sns.publish(r -> r.topicArn(topicArn).message("plain"));

        Map<String, JsonNode> byMessage = drain(queue).stream().map(m -> readJson(m.body()))
                .collect(Collectors.toMap(n -> n.get("Message").asText(), n -> n));
        assertEquals(Set.of("{\"hello\":\"world\"}", "plain"), byMessage.keySet());

        JsonNode envelope = byMessage.get("{\"hello\":\"world\"}");
        assertEquals("Notification", envelope.get("Type").asText());
        assertEquals(messageId, envelope.get("MessageId").asText());
        assertEquals(topicArn, envelope.get("TopicArn").asText());
        assertEquals("Greeting", envelope.get("Subject").asText());
        String timestamp = envelope.get("Timestamp").asText();
        assertTrue(timestamp.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), timestamp);
        Instant sent = Instant.parse(timestamp);
        assertFalse(sent.isBefore(before) || sent.isAfter(Instant.now().plusSeconds(1)), timestamp);
        assertEquals("1", envelope.get("SignatureVersion").asText());
        assertFalse(envelope.get("Signature").asText().isEmpty());
        assertFalse(envelope.get("SigningCertURL").asText().isEmpty());
        assertEquals("String", envelope.at("/MessageAttributes/kind/Type").asText());
        assertEquals("greeting", envelope.at("/MessageAttributes/kind/Value").asText());
        assertEquals("Number", envelope.at("/MessageAttributes/count/Type").asText());
        assertEquals("3", envelope.at("/MessageAttributes/count/Value").asText());

        JsonNode plain = byMessage.get("plain");
        assertFalse(plain.has("Subject"), "no Subject when none was published");
        assertFalse(plain.has("MessageAttributes"), "no MessageAttributes when none were published");
        assertNotEquals(messageId, plain.get("MessageId").asText());

        // The UnsubscribeURL works, as SNS's does.
        String unsubscribeUrl = envelope.get("UnsubscribeURL").asText();
        assertTrue(unsubscribeUrl.startsWith(emulator.endpoint().toString()), unsubscribeUrl);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(unsubscribeUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertThrows(NotFoundException.class,
                () -> sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)));
    }

    @Test
    void messageStructureJsonDeliversTheSqsEntry() {
        String topicArn = topic("structured");
        Queue queue = queue("structured");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));
        sns.publish(r -> r.topicArn(topicArn).messageStructure("json")
                .message("{\"default\":\"for everyone\",\"sqs\":\"for queues\"}"));
        assertEquals(List.of("for queues"), bodies(drain(queue)));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn)
                .messageStructure("json").message("{\"sqs\":\"no default\"}")));
    }

    @Test
    void aFailingSubscriptionDoesNotStopTheOthers() {
        String topicArn = topic("isolation");
        Queue first = queue("iso-a");
        Queue deleted = queue("iso-gone");
        Queue last = queue("iso-c");
        for (Queue q : List.of(first, deleted, last)) {
            subscribe(topicArn, q, Map.of("RawMessageDelivery", "true"));
        }
        sqs.deleteQueue(r -> r.queueUrl(deleted.url()));

        sns.publish(r -> r.topicArn(topicArn).message("fan-out"));

        assertEquals(List.of("fan-out"), bodies(drain(first)));
        assertEquals(List.of("fan-out"), bodies(drain(last)));
    }

    @Test
    void concurrentPublishesAreAllDelivered() throws Exception {
        String topicArn = topic("concurrent");
        Queue queue = queue("concurrent");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> IntStream.range(0, 25).forEach(i ->
                        sns.publish(r -> r.topicArn(topicArn).message(thread + "-" + i)))));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> expected = IntStream.range(0, 8).boxed()
                .flatMap(t -> IntStream.range(0, 25).mapToObj(i -> t + "-" + i)).collect(Collectors.toSet());
        List<String> received = bodies(drain(queue));
        assertEquals(200, received.size());
        assertEquals(expected, new HashSet<>(received));
    }

    // ---- filter policies --------------------------------------------------------------------

    @Test
    void filterPoliciesOnMessageAttributes() {
        String topicArn = topic("filters");
        Map<String, String> policies = Map.of(
                "prefix", "{\"event\":[{\"prefix\":\"order-\"}]}",
                "anythingBut", "{\"event\":[{\"anything-but\":[\"order-cancelled\",\"refund\"]}]}",
                "numeric", "{\"amount\":[{\"numeric\":[\">\",0,\"<=\",5]}]}",
                "noPriority", "{\"priority\":[{\"exists\":false}]}",
                "hasPriority", "{\"priority\":[{\"exists\":true}]}",
                "exactAnd", "{\"event\":[\"payment\",\"refund\"],\"amount\":[10]}");
        Map<String, Queue> queues = new java.util.HashMap<>();
        policies.forEach((name, policy) -> {
            Queue q = queue("filter-" + name);
            queues.put(name, q);
            subscribe(topicArn, q, Map.of("RawMessageDelivery", "true", "FilterPolicy", policy));
        });

        publishWith(topicArn, "m1", Map.of("event", "S:order-created", "amount", "N:3"));
        publishWith(topicArn, "m2", Map.of("event", "S:order-cancelled", "amount", "N:10", "priority", "S:high"));
        publishWith(topicArn, "m3", Map.of("event", "S:refund", "amount", "N:10"));
        publishWith(topicArn, "m4", Map.of("event", "S:payment", "amount", "N:10.0", "priority", "S:low"));
        publishWith(topicArn, "m5", Map.of("amount", "N:0"));

        assertEquals(Set.of("m1", "m2"), bodySet(queues.get("prefix")));
        assertEquals(Set.of("m1", "m4"), bodySet(queues.get("anythingBut")));
        assertEquals(Set.of("m1"), bodySet(queues.get("numeric")));
        assertEquals(Set.of("m1", "m3", "m5"), bodySet(queues.get("noPriority")));
        assertEquals(Set.of("m2", "m4"), bodySet(queues.get("hasPriority")));
        assertEquals(Set.of("m3", "m4"), bodySet(queues.get("exactAnd")));
    }

    @Test
    void filterPolicyOnTheMessageBodyMatchesNestedKeys() {
        String topicArn = topic("body-filter");
        Queue queue = queue("body-filter");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true", "FilterPolicyScope", "MessageBody",
                "FilterPolicy", "{\"payment\":{\"status\":[\"PAID\"],\"amount\":[{\"numeric\":[\">=\",100]}]},"
                        + "\"channel\":[{\"anything-but\":\"sms\"}]}"));
        List<String> bodies = List.of(
                "{\"payment\":{\"status\":\"PAID\",\"amount\":150},\"channel\":\"push\"}",
                "{\"payment\":{\"status\":\"PAID\",\"amount\":50},\"channel\":\"push\"}",
                "{\"payment\":{\"status\":\"DUE\",\"amount\":150},\"channel\":\"push\"}",
                "{\"payment\":{\"status\":\"PAID\",\"amount\":150},\"channel\":\"sms\"}",
                "{\"status\":\"PAID\",\"amount\":150,\"channel\":\"push\"}",
                "not json at all",
                "{\"payment\":{\"status\":[\"DUE\",\"PAID\"],\"amount\":100},\"channel\":\"email\"}");
        bodies.forEach(b -> sns.publish(r -> r.topicArn(topicArn).message(b)));
        assertEquals(Set.of(bodies.get(0), bodies.get(6)), bodySet(queue));
    }

    @Test
    void aDeliveryThatFailsGoesToTheSubscriptionsDeadLetterQueueAsItWouldHaveBeenDelivered() {
        String topicArn = topic("redrive");
        Queue rawDeadLetters = queue("redrive-raw-dlq");
        Queue envelopeDeadLetters = queue("redrive-env-dlq");
        Queue healthy = queue("redrive-ok");
        // Endpoints whose queues do not exist (deleted, say): a client-side error SNS does not retry.
        Queue gone = new Queue(null, "arn:aws:sqs:eu-south-1:000000000000:" + unique("gone"));
        Queue alsoGone = new Queue(null, "arn:aws:sqs:eu-south-1:000000000000:" + unique("also-gone"));
        subscribe(topicArn, gone, Map.of("RawMessageDelivery", "true",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + rawDeadLetters.arn() + "\"}"));
        subscribe(topicArn, alsoGone, Map.of(
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + envelopeDeadLetters.arn() + "\"}"));
        subscribe(topicArn, healthy, Map.of("RawMessageDelivery", "true"));

        publishWith(topicArn, "undeliverable", Map.of("kind", "S:audit"));

        List<Message> raw = drain(rawDeadLetters);
        assertEquals(List.of("undeliverable"), bodies(raw), "raw delivery: the raw message");
        assertEquals("audit", raw.get(0).messageAttributes().get("kind").stringValue(), "with its attributes");
        List<Message> envelopes = drain(envelopeDeadLetters);
        assertEquals(1, envelopes.size());
        JsonNode envelope = readJson(envelopes.get(0).body());
        assertEquals("Notification", envelope.get("Type").asText(), "no raw delivery: the notification envelope");
        assertEquals("undeliverable", envelope.get("Message").asText());
        assertEquals(topicArn, envelope.get("TopicArn").asText());
        assertEquals(List.of("undeliverable"), bodies(drain(healthy)), "other subscriptions are unaffected");
    }

    @Test
    void aRedrivePolicyNeedsAnSqsDeadLetterTargetArn() {
        String topicArn = topic("bad-redrive");
        Queue queue = queue("bad-redrive");
        for (String bad : List.of("{not json", "{}", "{\"deadLetterTargetArn\":\"not-an-arn\"}",
                "{\"deadLetterTargetArn\":\"" + topicArn + "\"}")) {
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(topicArn)
                    .protocol("sqs").endpoint(queue.arn()).attributes(Map.of("RedrivePolicy", bad))), bad);
        }
        String policy = "{\"deadLetterTargetArn\":\"" + queue("bad-redrive-dlq").arn() + "\"}";
        String subscriptionArn = subscribe(topicArn, queue, Map.of("RedrivePolicy", policy));
        assertEquals(policy, sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn))
                .attributes().get("RedrivePolicy"));
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(r -> r
                .subscriptionArn(subscriptionArn).attributeName("RedrivePolicy").attributeValue("{}")));
    }

    @Test
    void setSubscriptionAttributesChangesDelivery() {
        String topicArn = topic("set-attrs");
        Queue queue = queue("set-attrs");
        String subscriptionArn = subscribe(topicArn, queue, Map.of());

        sns.publish(r -> r.topicArn(topicArn).message("wrapped"));
        assertEquals("wrapped", readJson(drain(queue).get(0).body()).get("Message").asText());

        sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)
                .attributeName("RawMessageDelivery").attributeValue("true"));
        sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)
                .attributeName("FilterPolicy").attributeValue("{\"kind\":[\"wanted\"]}"));
        publishWith(topicArn, "unwanted", Map.of("kind", "S:other"));
        publishWith(topicArn, "wanted", Map.of("kind", "S:wanted"));
        assertEquals(List.of("wanted"), bodies(drain(queue)));

        sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)
                .attributeName("FilterPolicyScope").attributeValue("MessageBody"));
        sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)
                .attributeName("FilterPolicy").attributeValue("{\"kind\":[\"in-body\"]}"));
        sns.publish(r -> r.topicArn(topicArn).message("{\"kind\":\"in-body\"}"));
        sns.publish(r -> r.topicArn(topicArn).message("{\"kind\":\"other\"}"));
        assertEquals(List.of("{\"kind\":\"in-body\"}"), bodies(drain(queue)));

        Map<String, String> attributes =
                sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)).attributes();
        assertEquals("true", attributes.get("RawMessageDelivery"));
        assertEquals("MessageBody", attributes.get("FilterPolicyScope"));
        assertEquals("{\"kind\":[\"in-body\"]}", attributes.get("FilterPolicy"));

        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(r -> r
                .subscriptionArn(subscriptionArn).attributeName("FilterPolicy").attributeValue("{not json")));
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(r -> r
                .subscriptionArn(subscriptionArn).attributeName("NoSuchAttribute").attributeValue("x")));
        assertEquals("{\"kind\":[\"in-body\"]}", sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn))
                .attributes().get("FilterPolicy"), "a rejected change leaves the subscription as it was");
    }

    // ---- publish errors and limits ----------------------------------------------------------

    @Test
    void publishErrors() {
        String topicArn = topic("errors");
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> sns.publish(r -> r.topicArn(topicArn + "-missing").message("x")));
        assertEquals(404, notFound.statusCode());
        assertEquals("NotFound", notFound.awsErrorDetails().errorCode());
        assertThrows(NotFoundException.class, () -> sns.publish(r -> r.targetArn(topicArn + "-missing").message("x")));
        InvalidParameterException badArn = assertThrows(InvalidParameterException.class,
                () -> sns.publish(r -> r.topicArn("not-an-arn").message("x")));
        assertEquals(400, badArn.statusCode());
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn)));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")
                .messageAttributes(Map.of("n", stringAttribute("Number", "not-a-number")))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")
                .messageAttributes(Map.of("n", stringAttribute("Date", "2025-01-01")))));
    }

    @Test
    void messageSizeLimitIs256KbIncludingAttributes() {
        String topicArn = topic("size");
        String atLimit = "a".repeat(256 * 1024);
        assertNotNull(sns.publish(r -> r.topicArn(topicArn).message(atLimit)).messageId());
        InvalidParameterException tooLong = assertThrows(InvalidParameterException.class,
                () -> sns.publish(r -> r.topicArn(topicArn).message(atLimit + "a")));
        assertTrue(tooLong.awsErrorDetails().errorMessage().contains("Message too long"),
                tooLong.awsErrorDetails().errorMessage());
        String almost = "a".repeat(256 * 1024 - 10);
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message(almost)
                .messageAttributes(Map.of("name", stringAttribute("String", "0123456789")))));
    }

    @Test
    void fifoTopicsNeedAGroupAndReturnSequenceNumbers() {
        String name = unique("orders") + ".fifo";
        String topicArn = sns.createTopic(r -> r.name(name)
                .attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true"))).topicArn();
        String queueName = unique("orders") + ".fifo";
        String url = sqs.createQueue(r -> r.queueName(queueName)
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        Queue queue = new Queue(url, queueArn(url));
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        PublishResponse first = sns.publish(r -> r.topicArn(topicArn).message("one").messageGroupId("g1"));
        PublishResponse duplicate = sns.publish(r -> r.topicArn(topicArn).message("one").messageGroupId("g1"));
        PublishResponse second = sns.publish(r -> r.topicArn(topicArn).message("two").messageGroupId("g1"));
        assertNotNull(first.sequenceNumber());
        assertTrue(first.sequenceNumber().compareTo(duplicate.sequenceNumber()) < 0);
        assertTrue(duplicate.sequenceNumber().compareTo(second.sequenceNumber()) < 0);

        List<Message> received = drain(queue);
        assertEquals(List.of("one", "two"), bodies(received), "content-based deduplication reaches the queue");
        assertEquals("g1", received.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));

        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("no group")));
        String standardTopic = topic("standard");
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(r -> r.topicArn(standardTopic)
                .protocol("sqs").endpoint(queue.arn())));
    }

    // ---- PublishBatch -----------------------------------------------------------------------

    @Test
    void publishBatchDeliversEveryEntryAndReportsFailuresPerEntry() {
        String topicArn = topic("batch");
        Queue queue = queue("batch");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        PublishBatchResponse response = sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("first").message("one")
                        .messageAttributes(Map.of("kind", stringAttribute("String", "batch"))).build(),
                PublishBatchRequestEntry.builder().id("second").message("two").subject("Second").build(),
                PublishBatchRequestEntry.builder().id("empty").message("").build(),
                PublishBatchRequestEntry.builder().id("third").message("three").build()));

        assertEquals(List.of("first", "second", "third"),
                response.successful().stream().map(e -> e.id()).toList());
        response.successful().forEach(e -> assertNotNull(UUID.fromString(e.messageId())));
        assertEquals(1, response.failed().size());
        assertEquals("empty", response.failed().get(0).id());
        assertEquals("InvalidParameter", response.failed().get(0).code());
        assertTrue(response.failed().get(0).senderFault());

        List<Message> received = drain(queue);
        assertEquals(Set.of("one", "two", "three"), new HashSet<>(bodies(received)));
        Message one = received.stream().filter(m -> m.body().equals("one")).findFirst().orElseThrow();
        assertEquals("batch", one.messageAttributes().get("kind").stringValue());
    }

    @Test
    void publishBatchRequestErrors() {
        String topicArn = topic("batch-errors");
        List<PublishBatchRequestEntry> eleven = IntStream.range(0, 11)
                .mapToObj(i -> PublishBatchRequestEntry.builder().id("e" + i).message("m" + i).build()).toList();
        assertThrows(TooManyEntriesInBatchRequestException.class,
                () -> sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(eleven)));
        assertThrows(BatchEntryIdsNotDistinctException.class,
                () -> sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(
                        PublishBatchRequestEntry.builder().id("same").message("a").build(),
                        PublishBatchRequestEntry.builder().id("same").message("b").build())));
        assertThrows(EmptyBatchRequestException.class,
                () -> sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(List.of())));
        assertThrows(NotFoundException.class,
                () -> sns.publishBatch(r -> r.topicArn(topicArn + "-missing").publishBatchRequestEntries(
                        PublishBatchRequestEntry.builder().id("a").message("a").build())));
        // Ten entries is the maximum, not an error.
        List<PublishBatchRequestEntry> ten = eleven.subList(0, 10);
        assertEquals(10, sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(ten))
                .successful().size());
    }

    // ---- protocol ---------------------------------------------------------------------------

    @Test
    void unknownActionIsA400QueryError() throws Exception {
        HttpResponse<String> response = postForm("Action=Frobnicate&Version=2010-03-31");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().startsWith("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"),
                response.body());
        assertTrue(response.body().contains("<Type>Sender</Type><Code>InvalidAction</Code>"), response.body());

        HttpResponse<String> missing = postForm("Version=2010-03-31");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("<Code>MissingAction</Code>"), missing.body());
    }

    @Test
    void repliesUseTheSnsNamespaceAndResultWrapper() throws Exception {
        HttpResponse<String> response = postForm("Action=CreateTopic&Version=2010-03-31&Name=" + unique("raw-http"));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().matches("<CreateTopicResponse xmlns=\"http://sns\\.amazonaws\\.com/doc/2010-03-31/\">"
                + "<CreateTopicResult><TopicArn>arn:aws:sns:eu-south-1:000000000000:raw-http-[0-9a-f]+</TopicArn>"
                + "</CreateTopicResult><ResponseMetadata><RequestId>[0-9a-f-]+</RequestId></ResponseMetadata>"
                + "</CreateTopicResponse>"), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private record Queue(String url, String arn) {
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String topic(String prefix) {
        return sns.createTopic(r -> r.name(unique(prefix))).topicArn();
    }

    private static Queue queue(String prefix) {
        String url = sqs.createQueue(r -> r.queueName(unique(prefix))).queueUrl();
        return new Queue(url, queueArn(url));
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static String subscribe(String topicArn, Queue queue, Map<String, String> attributes) {
        return sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()).attributes(attributes)
                .returnSubscriptionArn(true)).subscriptionArn();
    }

    /** Publishes {@code body} with attributes written as "S:text" (String) or "N:12" (Number). */
    private static void publishWith(String topicArn, String body, Map<String, String> attributes) {
        Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> values = new java.util.HashMap<>();
        attributes.forEach((name, typed) -> values.put(name,
                stringAttribute(typed.startsWith("N:") ? "Number" : "String", typed.substring(2))));
        sns.publish(r -> r.topicArn(topicArn).message(body).messageAttributes(values));
    }

    private static software.amazon.awssdk.services.sns.model.MessageAttributeValue stringAttribute(String type,
                                                                                                    String value) {
        return software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder()
                .dataType(type).stringValue(value).build();
    }

    /** Every message now in the queue. Delivery completes before Publish returns, so no waiting is needed. */
    private static List<Message> drain(Queue queue) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queue.url()).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::body).toList();
    }

    private static Set<String> bodySet(Queue queue) {
        return new HashSet<>(bodies(drain(queue)));
    }

    private static List<String> listTopicArns() {
        return sns.listTopics().topics().stream().map(Topic::topicArn).toList();
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static HttpResponse<String> postForm(String form) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
