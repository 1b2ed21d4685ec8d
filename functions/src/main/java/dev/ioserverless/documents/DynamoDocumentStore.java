package dev.ioserverless.documents;

import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The declared documents in {@code DOCUMENTS_TABLE} (key {@code id}). A document no message took
 * carries {@code expires_at} (epoch seconds, the table's TTL attribute), two days after its
 * declaration, past the uploads' lifecycle expiry; attaching it to a message removes it.
 */
public final class DynamoDocumentStore implements DocumentStore {
    /** How long an unused declaration is kept (its upload expires after a day). */
    static final Duration UNUSED_KEPT = Duration.ofDays(2);
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDocumentStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(DocumentRecord d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(d.id()));
        item.put("service_id", s(d.serviceId()));
        item.put("name", s(d.name()));
        item.put("content_type", s(d.contentType()));
        item.put("size", n(d.size()));
        item.put("created_at", s(Timestamps.format(d.createdAt())));
        item.put("upload_expires_at", s(Timestamps.format(d.uploadExpiresAt())));
        item.put("expires_at", n(d.createdAt().plus(UNUSED_KEPT).getEpochSecond()));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public Optional<DocumentRecord> find(String id) {
        var item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("id", s(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DocumentRecord(string(item, "id"), string(item, "service_id"), string(item, "name"),
                string(item, "content_type"), longValue(item, "size"), Timestamps.parse(string(item, "created_at")),
                Timestamps.parse(string(item, "upload_expires_at")), optString(item, "message_id").orElse(null)));
    }

    @Override
    public boolean attach(String id, String messageId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", s(id)))
                    .updateExpression("SET message_id = :m, attached_at = if_not_exists(attached_at, :at) REMOVE expires_at")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(message_id) OR message_id = :m)")
                    .expressionAttributeValues(Map.of(":m", s(messageId), ":at", s(Timestamps.format(at)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
