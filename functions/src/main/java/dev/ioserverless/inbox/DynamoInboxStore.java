package dev.ioserverless.inbox;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The inbox over {@code MESSAGE_STATUS_TABLE} and its sparse {@code inbox} index (see
 * {@link DynamoMessageStore}): a page is one Query of one key range ({@code inbox} = the fiscal
 * code, {@code folder} between {@code INBOX#<minimum>} and {@code INBOX#<maximum>}), never a scan
 * or a filter. Read and archive are one conditional UpdateItem each, on the citizen's own PROCESSED
 * message only.
 */
public final class DynamoInboxStore implements InboxStore {
    /** Sorts after every ULID character, closing a folder's key range from above. */
    private static final String AFTER_EVERY_ID = "~";

    private final DynamoDbClient dynamo;
    private final String statusTable;

    public DynamoInboxStore(DynamoDbClient dynamo, String statusTable) {
        this.dynamo = dynamo;
        this.statusTable = statusTable;
    }

    @Override
    public InboxPage page(String fiscalCode, boolean archived, String maximumId, String minimumId, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        boolean forward = minimumId != null && maximumId == null;
        String lower = DynamoMessageStore.folderOf(minimumId == null ? "" : minimumId, archived);
        String upper = DynamoMessageStore.folderOf(maximumId == null ? AFTER_EVERY_ID : maximumId, archived);
        // Forward pages need exactly pageSize; backward ones one more, to know whether there is a next page.
        int wanted = forward ? pageSize : pageSize + 1;
        List<InboxEntry> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response = dynamo.query(b -> b.tableName(statusTable)
                    .indexName(DynamoMessageStore.INBOX_INDEX)
                    .keyConditionExpression("#owner = :fc AND #folder BETWEEN :lower AND :upper")
                    .expressionAttributeNames(Map.of("#owner", DynamoMessageStore.INBOX_OWNER,
                            "#folder", DynamoMessageStore.INBOX_FOLDER))
                    .expressionAttributeValues(Map.of(":fc", s(fiscalCode), ":lower", s(lower), ":upper", s(upper)))
                    .scanIndexForward(forward)
                    .limit(wanted - found.size() + 2)   // the bounds are inclusive: up to two items to skip
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : response.items()) {
                String id = string(item, "id");
                if (id.equals(maximumId) || id.equals(minimumId) || found.size() == wanted) {
                    continue;
                }
                found.add(entry(item));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (found.size() < wanted && start != null);

        if (forward) {
            Collections.reverse(found);
            return new InboxPage(found, null, found.isEmpty() ? null : found.get(0).id());
        }
        boolean more = found.size() > pageSize;
        List<InboxEntry> items = more ? found.subList(0, pageSize) : found;
        return new InboxPage(items, more ? items.get(items.size() - 1).id() : null,
                items.isEmpty() ? null : items.get(0).id());
    }

    @Override
    public Optional<StatusAttributes> change(String fiscalCode, String id, MessageStatusChange change, Instant at) {
        Map<String, String> names = new HashMap<>();
        names.put("#id", "id");
        names.put("#fc", "fiscal_code");
        names.put("#status", "status");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":fc", s(fiscalCode));
        values.put(":processed", s(MessageStatus.PROCESSED.name()));
        List<String> sets = new ArrayList<>();
        if (change.read()) {
            names.put("#read", DynamoMessageStore.READ_AT);
            values.put(":at", s(Timestamps.format(at)));
            sets.add("#read = if_not_exists(#read, :at)");
        }
        if (change.archived() != null) {
            names.put("#archived", DynamoMessageStore.IS_ARCHIVED);
            names.put("#folder", DynamoMessageStore.INBOX_FOLDER);
            values.put(":archived", bool(change.archived()));
            values.put(":folder", s(DynamoMessageStore.folderOf(id, change.archived())));
            sets.add("#archived = :archived");
            sets.add("#folder = :folder");
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("a change that changes nothing");
        }
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(statusTable)
                    .key(Map.of("id", s(id)))
                    .updateExpression("SET " + String.join(", ", sets))
                    .conditionExpression("attribute_exists(#id) AND #fc = :fc AND #status = :processed")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(new StatusAttributes(after.containsKey(DynamoMessageStore.READ_AT),
                    optBool(after, DynamoMessageStore.IS_ARCHIVED).orElse(false)));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    static InboxEntry entry(Map<String, AttributeValue> item) {
        return new InboxEntry(
                string(item, "id"),
                string(item, "fiscal_code"),
                string(item, "sender_service_id"),
                Timestamps.parse(string(item, "created_at")),
                (int) longValue(item, "time_to_live"),
                string(item, "message_title"),
                optString(item, "rpt_id").orElse(null),
                optBool(item, "has_attachments").orElse(false),
                optString(item, "category").map(c -> c.endsWith(DynamoMessageStore.PRECONDITION_FLAG)).orElse(false),
                item.containsKey(DynamoMessageStore.READ_AT),
                optBool(item, DynamoMessageStore.IS_ARCHIVED).orElse(false));
    }
}
