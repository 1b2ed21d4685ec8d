package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.services.ServiceGroup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * API keys are stored only as hashes: read straight from the ApiKeys table, with a client of
 * this test's own against the platform's DynamoDB endpoint, no item holds a clear key in any
 * attribute, and each key's item is keyed by the SHA-256 the code computes.
 */
class ApiKeysAtRestIT {

    @Test
    void theApiKeysTableHoldsHashesOfTheKeysAndNeverAKeyInClear() throws Exception {
        JsonNode demo = TestPlatform.demoJson();
        TestData.TestService service = TestData.service(Set.of(ServiceGroup.ApiMessageWrite));
        List<String> clearKeys = List.of(demo.path("api_key").asText(), demo.path("limited_api_key").asText(),
                service.primaryKey(), service.secondaryKey());
        // The service just created answers with its key: what is stored is what authenticates.
        assertEquals(201, TestData.post(service.primaryKey(), "/api/v1/messages/" + TestData.citizen(),
                TestData.newMessage()).statusCode());

        List<Map<String, AttributeValue>> items = new ArrayList<>();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(demo.path("dynamodb_endpoint").asText()))
                .region(Region.of(LocalPlatform.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            // A test's look at the whole table (never a request path's): every key of every test so far.
            dynamo.scanPaginator(b -> b.tableName(TestPlatform.get().physicalName("ApiKeysTable")).consistentRead(true))
                    .items().forEach(items::add);
        }
        assertTrue(items.size() >= clearKeys.size(), "the table holds at least the keys this test knows: " + items.size());

        List<String> everyClearKey = new ArrayList<>(clearKeys);
        everyClearKey.addAll(Secrets.recorded("API key"));
        for (Map<String, AttributeValue> item : items) {
            List<String> values = new ArrayList<>();
            item.values().forEach(value -> strings(value, values));
            for (String value : values) {
                for (String key : everyClearKey) {
                    assertFalse(value.contains(key), "an ApiKeys item holds a clear key in " + item.keySet());
                }
            }
        }

        for (String key : clearKeys) {
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Hashing.sha256Hex(key), "the code's hash is SHA-256 hex of the clear key");
            Map<String, AttributeValue> item = items.stream()
                    .filter(i -> expected.equals(i.get("key_hash").s())).findFirst().orElse(null);
            assertNotNull(item, "the key is stored under its hash");
            assertEquals(Set.of("key_hash", "service_id", "slot", "created_at"), item.keySet(),
                    "a key's item holds its hash, its service, its slot and when it was made; nothing else");
        }
        String demoService = demo.path("service_id").asText();
        assertEquals(demoService, items.stream().filter(i -> i.get("key_hash").s().equals(Hashing.sha256Hex(clearKeys.get(0))))
                .findFirst().orElseThrow().get("service_id").s());
        assertEquals(service.id(), items.stream().filter(i -> i.get("key_hash").s().equals(Hashing.sha256Hex(service.secondaryKey())))
                .findFirst().orElseThrow().get("service_id").s());
    }

    /** Every string an attribute holds, however nested. */
    private static void strings(AttributeValue value, List<String> into) {
        if (value.s() != null) {
            into.add(value.s());
        }
        if (value.n() != null) {
            into.add(value.n());
        }
        if (value.b() != null) {
            into.add(value.b().asUtf8String());
        }
        into.addAll(value.ss());
        into.addAll(value.ns());
        value.l().forEach(v -> strings(v, into));
        value.m().values().forEach(v -> strings(v, into));
    }
}
