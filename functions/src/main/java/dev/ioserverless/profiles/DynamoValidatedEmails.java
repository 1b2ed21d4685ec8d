package dev.ioserverless.profiles;

import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Validated addresses in {@code VALIDATED_EMAILS_TABLE}: key {@code email_hash}, the HMAC-SHA256
 * (hex) of the lower-cased address under a deployment secret, so the table holds no address in
 * clear; attribute {@code fiscal_code}, its holder. Every read is by key.
 */
public final class DynamoValidatedEmails implements ValidatedEmails {
    static final String KEY = "email_hash";
    static final String HOLDER = "fiscal_code";
    /** Separates these hashes from every other keyed hash made with the same secret. */
    private static final String PURPOSE = "io-serverless/validated-email/v1\n";
    private final DynamoDbClient dynamo;
    private final String table;
    private final byte[] hashKey;

    public DynamoValidatedEmails(DynamoDbClient dynamo, String table, String hashKey) {
        if (hashKey == null || hashKey.length() < 32) {
            throw new IllegalArgumentException("the email hash key must have at least 32 characters");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.hashKey = hashKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The table key of {@code email}: the same for every spelling that differs only in case. */
    String keyOf(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(
                    (PURPOSE + EmailAddress.canonical(email)).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<String> holder(String email) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(KEY, s(keyOf(email)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : optString(item, HOLDER);
    }

    @Override
    public boolean claim(String email, String fiscalCode) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(KEY, s(keyOf(email)), HOLDER, s(fiscalCode)))
                    .conditionExpression("attribute_not_exists(#key) OR #holder = :me")
                    .expressionAttributeNames(Map.of("#key", KEY, "#holder", HOLDER))
                    .expressionAttributeValues(Map.of(":me", s(fiscalCode))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(String email, String fiscalCode) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of(KEY, s(keyOf(email))))
                    .conditionExpression("#holder = :me")
                    .expressionAttributeNames(Map.of("#holder", HOLDER))
                    .expressionAttributeValues(Map.of(":me", s(fiscalCode))));
        } catch (ConditionalCheckFailedException e) {
            // someone else's, or nobody's: nothing to release
        }
    }
}
