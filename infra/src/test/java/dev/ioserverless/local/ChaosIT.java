package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.CrashPoints;
import dev.ioserverless.common.FaultInjection;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ServiceGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The whole path under faults: messages submitted through the Services API, processed, put in the
 * inbox and pushed to a phone, with every function's DynamoDB, SQS and SNS calls failing at a rate
 * ({@link FaultInjection}: throttling, 5xx, timeouts and calls served whose answer is lost) and the
 * SQS handlers crashing between the records of a batch ({@link CrashPoints}). Then it counts:
 * messages lost (accepted, then nowhere), stuck (not settled), duplicated (an inbox entry no
 * accepted request made, or two from one request), devices pushed more than once, and answers of
 * the submit API other than 201 or a 429/503 with Retry-After. Each count must be zero.
 *
 * <p>Its own platform, from the real template with shorter timeouts only (visibility 10 s, function
 * timeouts 8 s) so a crashed batch is back in seconds; functions in-process. A clock of its own
 * lets the sweeper of pending messages run as if minutes had passed. Sized by {@code -Dchaos.messages}
 * (CI: 300; the {@code chaos} profile: 2,000), faults by {@code -Dchaos.faults}, crashes by
 * {@code -Dchaos.crashes}, seed by {@code -Dchaos.seed}. It prints its figures.
 */
@dev.ioserverless.common.ExpectedErrors({"message_processing_failed", "request_failed", "push_notification_failed",
        "idempotency_finish_failed", "message_not_stored", "dead_letter_archive_failed", "message_dead_letter_failed",
        "push_dead_letter_failed", "request_deadline_reached"})
class ChaosIT {
    static final int MESSAGES = Integer.getInteger("chaos.messages", 300);
    static final String FAULTS = System.getProperty("chaos.faults", "dynamodb=0.1,sqs=0.1,sns=0.1");
    static final String CRASHES = System.getProperty("chaos.crashes",
            CrashPoints.PROCESS_AFTER_RECORD + "=0.02," + CrashPoints.PUSH_AFTER_RECORD + "=0.02");
    static final long SEED = Long.getLong("chaos.seed", 20261203L);
    static final int CITIZENS = Math.max(1, MESSAGES / 10);
    static final int SUBMITTERS = 8;

    static LocalPlatform platform;
    static final SkewClock CLOCK = new SkewClock();

    /** The system's clock, moved forward on demand: what the chaos platform's functions tell time by. */
    static final class SkewClock extends Clock {
        private final AtomicLong skewMillis = new AtomicLong();

        void advance(Duration by) {
            skewMillis.addAndGet(by.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(skewMillis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** The real template, with only its timeouts shortened (documented in the class comment). */
    static Path chaosTemplate(Path dir) throws IOException {
        Path original = Files.isRegularFile(Path.of("template.yaml")) ? Path.of("template.yaml") : Path.of("..", "template.yaml");
        String yaml = Files.readString(original)
                .replaceAll("VisibilityTimeout: \\d+", "VisibilityTimeout: 10")
                .replaceAll("(?m)^(\\s+)Timeout: (20|30)\\b", "$1Timeout: 8");
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, yaml);
        return template;
    }

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory("io-chaos");
        platform = LocalPlatform.start(LocalPlatform.Options.defaults().withInProcess(true)
                .withPort(0)
                .withStateDir(dir)
                .withTemplate(chaosTemplate(dir))
                .withSchedules(false)
                .withClock(CLOCK)
                .withFunctionVariables(Map.of(
                        FaultInjection.VARIABLE, FAULTS,
                        CrashPoints.VARIABLE, CRASHES,
                        FaultInjection.SEED_VARIABLE, Long.toString(SEED))));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /** What the submitting side saw. */
    static final class Submissions {
        final Map<Integer, String> accepted = new ConcurrentHashMap<>();
        final Map<Integer, String> recipients = new ConcurrentHashMap<>();
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Integer> gaveUp = ConcurrentHashMap.newKeySet();

        void saw(int status) {
            statuses.merge(status, 1, Integer::sum);
        }
    }

    @Test
    void nothingIsLostDuplicatedOrStuckUnderFaultsAndCrashes() throws Exception {
        long started = System.nanoTime();
        TestService service = TestData.service(platform, EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0,
                1_000_000);
        List<String> citizens = new ArrayList<>();
        Map<String, String> devices = new HashMap<>();
        for (int i = 0; i < CITIZENS; i++) {
            String citizen = FiscalCodes.random();
            TestData.profile(platform, citizen, true, ServicePreferencesMode.AUTO, Map.of());
            citizens.add(citizen);
            devices.put(citizen, PushNotificationIT.registerDevice(platform, citizen));
        }

        Submissions submissions = submitAll(service, citizens);
        long submitted = System.nanoTime();

        // Settle: run the sweeper as if minutes passed, until every accepted message is settled and pushed.
        Set<String> ids = new HashSet<>(submissions.accepted.values());
        Map<String, Map<String, AttributeValue>> items = Map.of();
        Instant sweepAt = CLOCK.instant();
        int sweeps = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(Math.max(4, MESSAGES / 150)).toNanos();
        while (true) {
            items = statusItems(ids);
            if (unsettled(ids, items).isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            sweepAt = sweepAt.plus(Duration.ofMinutes(3));
            CLOCK.advance(Duration.ofMinutes(3));   // leases (idempotency, push claims) run out as they would
            try {
                platform.function("SweepPendingMessagesFunction").invoke(Map.of("time", sweepAt.toString()), Map.class);
                sweeps++;
            } catch (RuntimeException e) {
                // The sweeper meets the faults too; the next round runs it again.
            }
            awaitProgress(ids);
        }
        long settled = System.nanoTime();

        // Count.
        int lost = 0;
        int stuck = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String id : ids) {
            Map<String, AttributeValue> item = items.get(id);
            if (item == null) {
                lost++;
                continue;
            }
            String status = item.get("status").s();
            outcomes.merge(status, 1, Integer::sum);
            if (!isSettled(item)) {
                stuck++;
            }
        }
        int duplicated = 0;
        int pushedTwice = 0;
        int pushesMissing = 0;
        Map<String, Set<String>> expectedByCitizen = new HashMap<>();
        submissions.accepted.forEach((index, id) ->
                expectedByCitizen.computeIfAbsent(submissions.recipients.get(index), c -> new HashSet<>()).add(id));
        for (String citizen : citizens) {
            Set<String> expected = expectedByCitizen.getOrDefault(citizen, Set.of());
            List<String> inbox = inboxOf(citizen);
            Set<String> distinct = new HashSet<>(inbox);
            duplicated += inbox.size() - distinct.size();
            for (String id : distinct) {
                if (!expected.contains(id)) {
                    duplicated++;   // in the inbox, yet no accepted request has this id: a second message of one request
                }
            }
            Map<String, Integer> pushes = new HashMap<>();
            for (var delivery : platform.snsEmulator().pushDeliveries(devices.get(citizen))) {
                String messageId = Json.read(delivery.payload()).path("message_id").asText();
                pushes.merge(messageId, 1, Integer::sum);
            }
            for (String id : expected) {
                Map<String, AttributeValue> item = items.get(id);
                int count = pushes.getOrDefault(id, 0);
                if (count > 1) {
                    pushedTwice++;
                }
                if (count == 0 && item != null && "PROCESSED".equals(item.get("status").s())) {
                    pushesMissing++;
                }
            }
        }
        int notAccepted = submissions.gaveUp.size();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("messages", MESSAGES);
        figures.put("faults", FAULTS);
        figures.put("crashes", CRASHES);
        figures.put("seed", SEED);
        figures.put("accepted", ids.size());
        figures.put("submit_answers", new TreeMap<>(submissions.statuses));
        figures.put("outcomes", outcomes);
        figures.put("lost", lost);
        figures.put("duplicated", duplicated);
        figures.put("stuck", stuck);
        figures.put("devices_pushed_twice", pushedTwice);
        figures.put("pushes_missing", pushesMissing);
        figures.put("bad_submit_answers", submissions.violations.size());
        figures.put("sweeper_rounds", sweeps);
        figures.put("submit_seconds", (submitted - started) / 1_000_000_000.0);
        figures.put("settle_seconds", (settled - submitted) / 1_000_000_000.0);
        System.out.println("CHAOS " + Json.write(Json.MAPPER.valueToTree(figures)));

        assertEquals(MESSAGES, ids.size(), "every request accepted in the end (gave up on " + notAccepted + ")");
        assertEquals(List.of(), submissions.violations, "answers other than 201, or 429/503 with Retry-After");
        assertEquals(0, lost, "lost");
        assertEquals(0, duplicated, "duplicated");
        assertEquals(0, stuck, "stuck: " + unsettled(ids, items));
        assertEquals(0, pushedTwice, "a device pushed twice for one message");
        assertTrue(outcomes.getOrDefault("PROCESSED", 0) > 0, "messages went through");
    }

    /**
     * Polls until a message more is settled (or all are), at most a few seconds: the next round
     * of the sweeper then finds what is left.
     */
    private static void awaitProgress(Set<String> ids) {
        int before = unsettled(ids, statusItems(ids)).size();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            int now = unsettled(ids, statusItems(ids)).size();
            if (now < before || now == 0) {
                return;
            }
        }
    }

    private Submissions submitAll(TestService service, List<String> citizens) throws Exception {
        Submissions submissions = new Submissions();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                int index = i;
                String citizen = citizens.get(i % citizens.size());
                submissions.recipients.put(index, citizen);
                work.add(pool.submit(() -> submitOne(http, service, citizen, index, submissions)));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return submissions;
    }

    private void submitOne(HttpClient http, TestService service, String citizen, int index, Submissions submissions) {
        String body = "{\"time_to_live\":604800,\"content\":{\"subject\":\"Chaos message number " + index
                + "\",\"markdown\":\"" + TestData.MARKDOWN + "\"}}";
        URI url = URI.create(platform.apiBaseUrl() + "/api/v1/messages/" + citizen);
        for (int attempt = 0; attempt < 40; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(60))
                        .header("Ocp-Apim-Subscription-Key", service.primaryKey())
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "chaos-" + SEED + "-" + index)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                submissions.violations.add(index + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = response.statusCode();
            submissions.saw(status);
            if (status == 201) {
                submissions.accepted.put(index, Json.read(response.body()).path("id").asText());
                return;
            }
            boolean retryable = status == 429 || status == 503;
            if (retryable && response.headers().firstValue("Retry-After").isEmpty()) {
                submissions.violations.add(index + ": " + status + " without Retry-After");
            } else if (!retryable && status != 409) {
                submissions.violations.add(index + ": " + status + " " + response.body());
            }
            if (status == 409) {
                // In flight under its key: a crashed attempt's lease; it runs out on the platform's clock.
                CLOCK.advance(Duration.ofSeconds(61));
            }
        }
        submissions.gaveUp.add(index);
    }

    static boolean isSettled(Map<String, AttributeValue> item) {
        String status = item.get("status").s();
        return switch (status) {
            case "PROCESSED" -> item.containsKey("announced_at") && item.containsKey("notification_webhook");
            case "REJECTED", "FAILED" -> true;
            default -> false;
        };
    }

    static List<String> unsettled(Set<String> ids, Map<String, Map<String, AttributeValue>> items) {
        List<String> open = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> item = items.get(id);
            if (item == null || !isSettled(item)) {
                open.add(id);
            }
        }
        return open;
    }

    static Map<String, Map<String, AttributeValue>> statusItems(Set<String> ids) {
        String table = platform.physicalName("MessageStatusTable");
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : all.subList(from, Math.min(all.size(), from + 100))) {
                keys.add(Map.of("id", AttributeValue.fromS(id)));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                var response = platform.dynamoDb().batchGetItem(b -> b.requestItems(pending));
                response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(item.get("id").s(), item));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    static List<String> inboxOf(String citizen) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = platform.dynamoDb().query(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                    .indexName("inbox")
                    .keyConditionExpression("#inbox = :citizen")
                    .expressionAttributeNames(Map.of("#inbox", "inbox"))
                    .expressionAttributeValues(Map.of(":citizen", AttributeValue.fromS(citizen)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> ids.add(item.get("id").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }
}
