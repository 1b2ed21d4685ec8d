package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Tokens in {@code EMAIL_VALIDATION_TOKENS_TABLE}: key {@code token_hash} (SHA-256 hex of the
 * token), attributes {@code fiscal_code}, {@code email}, {@code created_at}, {@code used_at} once
 * used, and {@code expires_at} (N, epoch seconds, the table's TTL).
 */
public final class DynamoEmailValidationTokens implements EmailValidationTokens {
    static final String KEY = "token_hash";
    static final String EXPIRES_AT = "expires_at";
    static final String USED_AT = "used_at";
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEmailValidationTokens(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Token token) {
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(KEY, s(token.tokenHash()),
                        "fiscal_code", s(token.fiscalCode()),
                        "email", s(token.email()),
                        "created_at", s(Timestamps.format(token.createdAt())),
                        EXPIRES_AT, n(token.expiresAt().getEpochSecond())))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", KEY)));
    }

    @Override
    public Claim claim(String tokenHash, Instant now) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(KEY, s(tokenHash)))
                    .updateExpression("SET #used = :now")
                    .conditionExpression("attribute_exists(#fc) AND attribute_not_exists(#used)")
                    .expressionAttributeNames(Map.of("#used", USED_AT, "#fc", "fiscal_code"))
                    .expressionAttributeValues(Map.of(":now", s(Timestamps.format(now))))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                    .attributes();
            return new Claimed(new Token(tokenHash, string(item, "fiscal_code"), string(item, "email"),
                    optString(item, "created_at").map(Timestamps::parse).orElse(Instant.EPOCH),
                    Instant.ofEpochSecond(optLong(item, EXPIRES_AT).orElse(0L))));
        } catch (ConditionalCheckFailedException e) {
            return e.hasItem() && e.item() != null && e.item().containsKey("fiscal_code")
                    ? new AlreadyUsed(string(e.item(), "fiscal_code")) : new Unknown();
        }
    }
}
