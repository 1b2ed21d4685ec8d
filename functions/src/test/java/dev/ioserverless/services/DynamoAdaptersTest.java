package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** What the rate-limit and idempotency adapters ask DynamoDB, and how they read its answers. */
class DynamoAdaptersTest {
    static final Instant NOW = Instant.parse("2024-03-01T10:15:33.250Z");

    /** A DynamoDB client that records requests and answers (or fails) as the test says. */
    static final class ScriptedDynamo implements DynamoDbClient {
        final List<Object> requests = new ArrayList<>();
        RuntimeException failWith;
        Map<String, AttributeValue> attributes = Map.of();
        Map<String, AttributeValue> previousWindow = Map.of();

        @Override
        public software.amazon.awssdk.services.dynamodb.model.GetItemResponse getItem(
                software.amazon.awssdk.services.dynamodb.model.GetItemRequest request) {
            requests.add(request);
            return software.amazon.awssdk.services.dynamodb.model.GetItemResponse.builder().item(previousWindow).build();
        }

        <T> List<T> requestsOf(Class<T> type) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            requests.add(request);
            if (failWith != null) {
                throw failWith;
            }
            return UpdateItemResponse.builder().attributes(attributes).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            requests.add(request);
            if (failWith != null) {
                throw failWith;
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            requests.add(request);
            if (failWith != null) {
                throw failWith;
            }
            return DeleteItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    static ConditionalCheckFailedException conditionFailed(Map<String, AttributeValue> item) {
        ConditionalCheckFailedException.Builder builder = ConditionalCheckFailedException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ConditionalCheckFailedException").build());
        if (item != null) {
            builder.item(item);
        }
        return (ConditionalCheckFailedException) builder.build();
    }

    // ---------------------------------------------------------------- rate limit

    @Test
    void theRateLimiterAddsTheCostOnlyIfTheWindowHasRoomForIt() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.attributes = Map.of("request_count", AttributeValue.fromN("42"));
        RateLimitDecision decision = new DynamoRateLimiter(dynamo, "limits").acquire("svc", 150, 3, NOW);

        UpdateItemRequest request = dynamo.requestsOf(UpdateItemRequest.class).get(0);
        assertEquals("limits", request.tableName());
        assertEquals(Map.of("pk", AttributeValue.fromS("svc#1709288130")), request.key());
        assertEquals("ADD #count :cost SET #expires = :expires", request.updateExpression());
        assertEquals("attribute_not_exists(#count) OR #count <= :maxBefore", request.conditionExpression());
        assertEquals(Map.of("#count", "request_count", "#expires", "expires_at"), request.expressionAttributeNames());
        assertEquals("3", request.expressionAttributeValues().get(":cost").n());
        assertEquals("147", request.expressionAttributeValues().get(":maxBefore").n());
        assertEquals("1709288195", request.expressionAttributeValues().get(":expires").n());
        assertEquals(ReturnValue.UPDATED_NEW, request.returnValues());
        assertEquals(ReturnValuesOnConditionCheckFailure.ALL_OLD, request.returnValuesOnConditionCheckFailure());

        assertTrue(decision.allowed());
        assertEquals(108, decision.remaining());
        assertEquals(2, decision.retryAfterSeconds());
    }

    @Test
    void aFailedConditionIsARejectionWithTheCountItSaw() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.failWith = conditionFailed(Map.of("pk", AttributeValue.fromS("svc#1709288130"),
                "request_count", AttributeValue.fromN("148")));
        RateLimitDecision decision = new DynamoRateLimiter(dynamo, "limits").acquire("svc", 150, 5, NOW);
        assertFalse(decision.allowed());
        assertEquals(2, decision.remaining());

        dynamo.failWith = conditionFailed(null);
        assertEquals(0, new DynamoRateLimiter(dynamo, "limits").acquire("svc", 150, 1, NOW).remaining());
    }

    @Test
    void aRequestCostingMoreThanTheLimitIsRejectedWithoutAWrite() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        RateLimitDecision decision = new DynamoRateLimiter(dynamo, "limits").acquire("svc", 50, 51, NOW);
        assertFalse(decision.allowed());
        assertTrue(dynamo.requestsOf(UpdateItemRequest.class).isEmpty(), "nothing written");
    }

    @Test
    void thePreviousWindowIsReadOnceAndCarriedIntoTheCondition() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        dynamo.previousWindow = Map.of("pk", AttributeValue.fromS("svc#1709288125"), "request_count", AttributeValue.fromN("100"));
        dynamo.attributes = Map.of("request_count", AttributeValue.fromN("3"));
        DynamoRateLimiter limiter = new DynamoRateLimiter(dynamo, "limits");
        // 10:15:33.250 is 3.25 s into its window: the sliding window still covers 35% of the previous one.
        RateLimitDecision decision = limiter.acquire("svc", 150, 3, NOW);
        var read = dynamo.requestsOf(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.class);
        assertEquals(Map.of("pk", AttributeValue.fromS("svc#1709288125")), read.get(0).key());
        assertEquals("112", dynamo.requestsOf(UpdateItemRequest.class).get(0).expressionAttributeValues().get(":maxBefore").n());
        assertEquals(150 - 35 - 3, decision.remaining());
        limiter.acquire("svc", 150, 1, NOW.plusMillis(100));
        assertEquals(1, dynamo.requestsOf(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.class).size(),
                "a warm instance reads a finished window once");
    }

    // ---------------------------------------------------------------- idempotency

    final IdempotencyPolicy policy = new IdempotencyPolicy();

    @Test
    void theClaimIsAPutConditionalOnTheKeyBeingFree() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        IdempotencyRecord claim = policy.claim("svc#k", "h".repeat(64), "claim-1", NOW);
        assertTrue(new DynamoIdempotencyStore(dynamo, "idem").tryClaim(claim, NOW));

        PutItemRequest put = (PutItemRequest) dynamo.requests.get(0);
        assertEquals("idem", put.tableName());
        assertEquals("attribute_not_exists(#pk) OR #expires < :nowSeconds OR (#state = :inProgress AND #locked < :nowMillis)",
                put.conditionExpression());
        assertEquals(Long.toString(NOW.getEpochSecond()), put.expressionAttributeValues().get(":nowSeconds").n());
        assertEquals(Long.toString(NOW.toEpochMilli()), put.expressionAttributeValues().get(":nowMillis").n());
        assertEquals("IN_PROGRESS", put.expressionAttributeValues().get(":inProgress").s());
        Map<String, AttributeValue> item = put.item();
        assertEquals("svc#k", item.get("pk").s());
        assertEquals("IN_PROGRESS", item.get("state").s());
        assertEquals(Long.toString(NOW.plus(IdempotencyPolicy.DEFAULT_LEASE).toEpochMilli()), item.get("locked_until").n());
        assertEquals(Long.toString(NOW.plusSeconds(86_400).getEpochSecond()), item.get("expires_at").n());
        assertFalse(item.containsKey("response_status"));

        dynamo.failWith = conditionFailed(null);
        assertFalse(new DynamoIdempotencyStore(dynamo, "idem").tryClaim(claim, NOW));
    }

    @Test
    void completingAndReleasingAreConditionalOnTheClaim() {
        ScriptedDynamo dynamo = new ScriptedDynamo();
        DynamoIdempotencyStore store = new DynamoIdempotencyStore(dynamo, "idem");
        IdempotencyRecord claim = policy.claim("svc#k", "h".repeat(64), "claim-1", NOW);
        ApiResponse created = ApiResponse.json(201, Map.of("id", "x"), Map.of("Location", "/x"));

        assertTrue(store.complete(claim, created));
        UpdateItemRequest update = (UpdateItemRequest) dynamo.requests.get(0);
        assertEquals("#claim = :claim AND #state = :inProgress", update.conditionExpression());
        assertEquals("claim-1", update.expressionAttributeValues().get(":claim").s());
        assertEquals("201", update.expressionAttributeValues().get(":status").n());
        assertEquals("/x", update.expressionAttributeValues().get(":headers").m().get("Location").s());
        assertEquals("{\"id\":\"x\"}", update.expressionAttributeValues().get(":body").s());

        assertTrue(store.release(claim));
        DeleteItemRequest delete = (DeleteItemRequest) dynamo.requests.get(1);
        assertEquals("#claim = :claim AND #state = :inProgress", delete.conditionExpression());
        assertEquals(Map.of("pk", AttributeValue.fromS("svc#k")), delete.key());

        dynamo.failWith = conditionFailed(null);
        assertFalse(store.complete(claim, created));
        assertFalse(store.release(claim));
    }

    @Test
    void aCompletedRecordReadsBackWithItsResponse() {
        IdempotencyRecord completed = policy.claim("svc#k", "h".repeat(64), "claim-1", NOW)
                .completed(ApiResponse.json(201, Map.of("id", "x"), Map.of("Location", "/x")));
        IdempotencyRecord read = DynamoIdempotencyStore.fromItem(DynamoIdempotencyStore.toItem(completed));
        assertEquals(completed, read);
        assertEquals("/x", read.response().headers().get("Location"));
        assertEquals("application/json", read.response().headers().get("Content-Type"));
    }
}
