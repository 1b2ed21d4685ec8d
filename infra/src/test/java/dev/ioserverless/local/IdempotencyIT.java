package dev.ioserverless.local;

import static dev.ioserverless.local.AuthorizationIT.assertProblem;
import static dev.ioserverless.local.TestData.newMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Idempotency-Key: a safe retry for POSTs, scoped per service. */
class IdempotencyIT {

    static HttpResponse<String> post(String key, String idempotencyKey, String path, String body) {
        return TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(path))
                .header("Ocp-Apim-Subscription-Key", key)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void theSameKeyAndBodyAnswerTheOriginalResponseAndCreateNothingNew() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(service.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage());
        HttpResponse<String> retry = post(service.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage());
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals(first.body(), retry.body());
        assertEquals(first.headers().firstValue("Location"), retry.headers().firstValue("Location"));
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void theRecordKeepsNoClearFiscalCodeAndAReplayStillNamesTheMessagesLocation() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        for (String path : new String[] {"/api/v1/messages/" + citizen, "/api/v1/messages"}) {
            String body = path.endsWith(citizen) ? newMessage()
                    : newMessage().replaceFirst("\\{", "{\"fiscal_code\":\"" + citizen + "\",");
            String idempotencyKey = key + path.length();
            HttpResponse<String> first = post(service.primaryKey(), idempotencyKey, path, body);
            assertEquals(201, first.statusCode(), first.body());
            LocalPlatform platform = TestPlatform.get();
            var record = platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("IdempotencyTable"))
                    .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            dev.ioserverless.services.IdempotencyPolicy.partitionKey(service.id(), idempotencyKey))))
                    .consistentRead(true)).item();
            assertTrue(record.containsKey("response_body"), "the response is stored: " + record.keySet());
            assertFalse(record.toString().contains(citizen), "no clear fiscal code in the record: " + record);
            HttpResponse<String> replay = post(service.primaryKey(), idempotencyKey, path, body);
            assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
            assertEquals(first.headers().firstValue("Location"), replay.headers().firstValue("Location"));
            assertTrue(replay.headers().firstValue("Location").orElse("").contains(citizen));
        }
        assertEquals(2, TestData.messagesFor(citizen));
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        assertEquals(201, post(service.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage()).statusCode());
        String other = newMessage().replace("2026", "2027");
        assertProblem(post(service.primaryKey(), key, "/api/v1/messages/" + citizen, other), 422, "Idempotency-Key");
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void keysAreScopedPerService() {
        TestService a = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        TestService b = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        String idA = Json.read(post(a.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage()).body()).path("id").asText();
        String idB = Json.read(post(b.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage()).body()).path("id").asText();
        assertNotEquals(idA, idB);
        assertEquals(2, TestData.messagesFor(citizen));
    }

    @Test
    void aRejectedRequestLeavesNoRecordBehind() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        assertEquals(400, post(service.primaryKey(), key, "/api/v1/messages/" + citizen, "{\"content\":{}}").statusCode());
        assertEquals(201, post(service.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage()).statusCode(),
                "the corrected request goes through under the same key");
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void aKeyLongerThan255CharactersIs400() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        assertEquals(201, post(service.primaryKey(), "k".repeat(255), "/api/v1/messages/" + citizen, newMessage())
                .statusCode());
        assertProblem(post(service.primaryKey(), "k".repeat(256), "/api/v1/messages/" + citizen, newMessage()), 400,
                "Idempotency-Key");
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void concurrentDuplicatesCreateOneMessage() throws Exception {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String key = UUID.randomUUID().toString();
        int parallel = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return post(service.primaryKey(), key, "/api/v1/messages/" + citizen, newMessage());
            }, pool));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertTrue(response.statusCode() == 201 || response.statusCode() == 409,
                    "a duplicate is either replayed or told it is in flight: " + response.statusCode() + " " + response.body());
            if (response.statusCode() == 201) {
                created++;
                ids.add(Json.read(response.body()).path("id").asText());
            } else {
                assertProblem(response, 409, "Idempotency-Key");
            }
        }
        pool.shutdown();
        assertTrue(created >= 1);
        assertEquals(1, ids.size(), "every 201 names the same message");
        assertEquals(1, TestData.messagesFor(citizen));
    }
}
