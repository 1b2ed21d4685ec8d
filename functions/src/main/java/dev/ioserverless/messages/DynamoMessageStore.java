package dev.ioserverless.messages;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.reminders.ReminderItems;
import dev.ioserverless.reminders.ReminderSchedule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A message as two items, so that its status changes never rewrite its content:
 *
 * <ul>
 *   <li>the content item in {@code MESSAGES_TABLE} (key {@code id}): recipient, sender, creation
 *       time and the content, written once and never updated. Its {@code by-recipient} index
 *       ({@code fiscal_code}, {@code id}) projects the keys only, for the citizen's data export;
 *   <li>the status item in {@code MESSAGE_STATUS_TABLE} (key {@code id}): the metadata the inbox
 *       lists ({@code fiscal_code}, {@code sender_service_id}, {@code created_at},
 *       {@code time_to_live}, {@code message_title}, {@code category}, {@code rpt_id},
 *       {@code has_attachments}, {@code due_date}), the processing status and what happens later
 *       ({@link #ANNOUNCED_AT}, {@link #NOTIFICATION_WEBHOOK}, {@link #READ_AT}, {@link #PAID_AT},
 *       {@link #IS_ARCHIVED}).
 *       It is a few hundred bytes whatever the content's size.
 * </ul>
 *
 * <p>{@code category} is the list's tag (GENERIC or PAYMENT), followed by
 * {@link #PRECONDITION_FLAG} for a third-party message whose precondition applies: the inbox index
 * projects a fixed set of attributes that CloudFormation cannot extend on a deployed table, and the
 * list must tell the app which messages open behind a precondition ({@code has_precondition}).
 * {@code require_secure_channels} is true also for such a message: its pushes are anonymous.
 *
 * <p>The status item is in the sparse {@link #INBOX_INDEX} index only once PROCESSED: the
 * transition to PROCESSED copies {@code fiscal_code} into {@link #INBOX_OWNER} and sets
 * {@link #INBOX_FOLDER} to {@code INBOX#<id>} ({@code ARCHIVE#<id>} once archived), so one key
 * range of the index is one folder of one citizen, newest first by ULID. The index projects only
 * what a list shows, so a push status or payment write does not touch it.
 *
 * <p>Creation writes the content first, then the status item, each conditional on the id being new.
 * Readers go through the status item, so a message whose second write failed does not exist for
 * anyone; creating it again with the same id, recipient, sender and content completes it (the
 * content item is never overwritten, and keeps its creation time). Status transitions are
 * {@link DynamoMessageStatuses}'.
 */
public final class DynamoMessageStore implements MessageStore {
    public static final String BY_RECIPIENT_INDEX = "by-recipient";
    public static final String INBOX_INDEX = "inbox";
    /** Appended to {@code category} when the message opens behind a precondition. */
    public static final String PRECONDITION_FLAG = ";precondition";
    /** When the citizen was shown the message's ONCE precondition (S, timestamp), on the status item. */
    public static final String PRECONDITION_SHOWN_AT = "precondition_shown_at";
    /** When the citizen accepted it, by opening the message after it (S, timestamp), on the status item. */
    public static final String PRECONDITION_ACCEPTED_AT = "precondition_accepted_at";
    /** The recipient's fiscal code, set on the status item when it becomes PROCESSED: the inbox index's hash key. */
    public static final String INBOX_OWNER = "inbox";
    /** {@code INBOX#<id>} or {@code ARCHIVE#<id>}: the inbox index's range key. */
    public static final String INBOX_FOLDER = "folder";
    /**
     * When the MessageProcessed event of a PROCESSED message was published, written by processing
     * after the publish: a PROCESSED message without it is announced again when its record comes
     * back. Not projected into the inbox index, so writing it costs no index write.
     */
    public static final String ANNOUNCED_AT = "announced_at";
    /** The push channel's status ({@link NotificationChannelStatus}), written by the push function. */
    public static final String NOTIFICATION_WEBHOOK = "notification_webhook";
    /** The email channel's status (S: SENT, THROTTLED, EXPIRED or FAILED), written by the email notification function. */
    public static final String NOTIFICATION_EMAIL = "notification_email";
    /** When {@link #NOTIFICATION_EMAIL} was written. */
    public static final String NOTIFICATION_EMAIL_UPDATED_AT = "notification_email_updated_at";
    /** When {@link #NOTIFICATION_WEBHOOK} was written. */
    public static final String NOTIFICATION_UPDATED_AT = "notification_updated_at";
    /** When the citizen read the message, written by the citizen API. */
    public static final String READ_AT = "read_at";
    /** When the message's payment notice was paid, written by the payment callback. */
    public static final String PAID_AT = "paid_at";
    /** Whether the citizen archived the message, written by the citizen API. */
    public static final String IS_ARCHIVED = "is_archived";
    /** IO's rptId of the message's payment notice (payee fiscal code + notice number), written at creation. */
    public static final String RPT_ID = "rpt_id";
    /** The notice's amount in euro cents, written at creation, for the payment callback's amount check. */
    public static final String PAYMENT_AMOUNT = "payment_amount";
    /** The receipt that paid the notice, written with {@link #PAID_AT}. */
    public static final String RECEIPT_ID = "receipt_id";
    /** The index of the payment reminders due: ({@link #REMINDER_SHARD}, {@link #NEXT_REMINDER_AT}). */
    public static final String REMINDERS_INDEX = "reminders";
    /** "0" to "15", from the id: spreads the reminders index over partitions. */
    public static final String REMINDER_SHARD = "reminder_shard";
    /** When the message's next payment reminder is due; absent once none is (paid, past due, all sent). */
    public static final String NEXT_REMINDER_AT = "next_reminder_at";
    /**
     * The reminders used, oldest first: a list of maps {@code {kind, sent_at}} for one sent and
     * {@code {kind, skipped_at}} for one the citizen's settings skipped
     * ({@link dev.ioserverless.reminders.ReminderItems}); the sender's detail view lists the sent ones.
     */
    public static final String REMINDERS = "reminders";
    /** Runs that pushed the reminder due to only some devices so far; removed once it is recorded. */
    public static final String REMINDER_ATTEMPTS = "reminder_attempts";

    private final DynamoDbClient dynamo;
    private final String contentTable;
    private final String statusTable;
    private final DynamoMessageStatuses statuses;
    private final DynamoPendingMessages pending;

    /** A store without the outbox: for reading, and for tools that write messages no sweeper must see. */
    public DynamoMessageStore(DynamoDbClient dynamo, String contentTable, String statusTable) {
        this(dynamo, contentTable, statusTable, null);
    }

    /** @param pending the outbox new messages are held in until settled; null for none */
    public DynamoMessageStore(DynamoDbClient dynamo, String contentTable, String statusTable,
                              DynamoPendingMessages pending) {
        this.dynamo = dynamo;
        this.contentTable = contentTable;
        this.statusTable = statusTable;
        this.statuses = new DynamoMessageStatuses(dynamo, statusTable);
        this.pending = pending;
    }

    /**
     * The store of a function whose template gives it {@code MESSAGES_TABLE} and
     * {@code MESSAGE_STATUS_TABLE}, and {@code PENDING_MESSAGES_TABLE} if it creates or settles
     * messages (creating one without it is refused: a message nothing would ever sweep).
     */
    public static DynamoMessageStore fromConfig(Config config) {
        return new DynamoMessageStore(AwsClients.dynamoDb(config),
                config.require("MESSAGES_TABLE"), config.require("MESSAGE_STATUS_TABLE"),
                config.find("PENDING_MESSAGES_TABLE")
                        .map(table -> new DynamoPendingMessages(AwsClients.dynamoDb(config), table)).orElse(null));
    }

    /** The store of a function that creates messages: {@code PENDING_MESSAGES_TABLE} is required. */
    public static DynamoMessageStore forSubmission(Config config) {
        config.require("PENDING_MESSAGES_TABLE");
        return fromConfig(config);
    }

    /** The inbox folder key of a message: {@code INBOX#<id>} or {@code ARCHIVE#<id>}. */
    public static String folderOf(String id, boolean archived) {
        return (archived ? "ARCHIVE#" : "INBOX#") + id;
    }

    /**
     * Holds the message in the outbox first (so a message never exists without its pending item),
     * then writes the content item and the status item, each conditional on the id being new. A
     * retried creation of the same message (same recipient, sender and content: an ambiguous
     * failure the caller retried with its Idempotency-Key) completes what is missing.
     */
    @Override
    public void create(Message message) {
        Map<String, AttributeValue> content = contentItem(message);
        Map<String, AttributeValue> status = statusItem(message);
        if (pending != null) {
            pending.hold(message.id(), message.createdAt());
        }
        try {
            dynamo.putItem(b -> b.tableName(contentTable)
                    .item(content)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", "id")));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(contentTable)
                    .key(Map.of("id", s(message.id()))).consistentRead(true)).item();
            if (existing == null || !sameMessage(content, existing)) {
                throw new IllegalStateException("a message with id " + message.id() + " already exists", e);
            }
            // The same message, created before; its status item may be missing: write it, dated as the content.
            status.put("created_at", existing.get("created_at"));
        }
        try {
            dynamo.putItem(b -> b.tableName(statusTable)
                    .item(status)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", "id")));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(statusTable)
                    .key(Map.of("id", s(message.id()))).consistentRead(true)).item();
            if (existing == null || !Objects.equals(existing.get("fiscal_code"), status.get("fiscal_code"))
                    || !Objects.equals(existing.get("sender_service_id"), status.get("sender_service_id"))) {
                throw new IllegalStateException("a message with id " + message.id() + " already exists", e);
            }
            // Both items were written by an earlier attempt: the message is created.
        }
    }

    /** Takes a settled message out of the outbox (PROCESSED and announced, REJECTED, or FAILED). */
    @Override
    public void settle(String id) {
        if (pending != null) {
            pending.settle(id);
        }
    }

    /** Whether this store holds new messages in the outbox ({@code PENDING_MESSAGES_TABLE} configured). */
    public boolean holdsPending() {
        return pending != null;
    }

    /** Same recipient, sender and content (the creation time may differ: a retried creation is later). */
    private static boolean sameMessage(Map<String, AttributeValue> item, Map<String, AttributeValue> existing) {
        for (String name : List.of("fiscal_code", "sender_service_id", "content")) {
            if (!Objects.equals(item.get(name), existing.get(name))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<Message> find(String id) {
        return findWithReminders(id).map(MessageWithReminders::message);
    }

    /** The message and the reminders its status item lists as sent: the same two reads as {@link #find}. */
    @Override
    public Optional<MessageWithReminders> findWithReminders(String id) {
        Map<String, AttributeValue> status = dynamo.getItem(b -> b.tableName(statusTable)
                .key(Map.of("id", s(id)))
                .consistentRead(true)).item();
        if (status == null || status.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> content = dynamo.getItem(b -> b.tableName(contentTable)
                .key(Map.of("id", s(id)))
                .consistentRead(true)).item();
        if (content == null || content.isEmpty()) {
            throw new IllegalStateException("message " + id + " has a status item but no content item");
        }
        return Optional.of(new MessageWithReminders(fromItems(content, status), ReminderItems.sentFromItem(status)));
    }

    /** The status item alone: one small read. */
    @Override
    public Optional<MessageHeader> findHeader(String id) {
        Map<String, AttributeValue> status = dynamo.getItem(b -> b.tableName(statusTable)
                .key(Map.of("id", s(id)))
                .consistentRead(true)).item();
        if (status == null || status.isEmpty()) {
            return Optional.empty();
        }
        if (!status.containsKey("require_secure_channels")) {
            // written before the status item carried it
            return find(id).map(message -> MessageHeader.of(message, optTimestamp(status, ANNOUNCED_AT)));
        }
        Instant createdAt = Timestamps.parse(string(status, "created_at"));
        MessageStatus messageStatus = MessageStatus.valueOf(string(status, "status"));
        return Optional.of(new MessageHeader(id, string(status, "fiscal_code"), string(status, "sender_service_id"),
                createdAt, (int) longValue(status, "time_to_live"),
                optString(status, "feature_level_type").flatMap(FeatureLevelType::fromName).orElse(FeatureLevelType.STANDARD),
                messageStatus,
                messageStatus == MessageStatus.REJECTED ? RejectionReason.valueOf(string(status, "rejection_reason")) : null,
                optBool(status, "require_secure_channels").orElse(false),
                optString(status, RPT_ID).orElse(null),
                optTimestamp(status, ANNOUNCED_AT)));
    }

    @Override
    public void markAnnounced(String id, Instant at) {
        statuses.markAnnounced(id, at);
    }

    @Override
    public boolean awaitsAnnouncement(String id) {
        return statuses.awaitsAnnouncement(id);
    }

    @Override
    public StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at) {
        return statuses.transition(id, target, reason, at);
    }

    /** The content item: written once, never updated. */
    static Map<String, AttributeValue> contentItem(Message message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(message.id()));
        item.put("fiscal_code", s(message.fiscalCode()));
        item.put("sender_service_id", s(message.senderServiceId()));
        item.put("created_at", s(Timestamps.format(message.createdAt())));
        item.put("content", s(Json.write(message.content().toStoredJson())));
        return item;
    }

    /**
     * The status item as submission writes it: metadata, the list summary and the status, and for
     * an ADVANCED message with a payment notice and a due date the reminders index keys
     * ({@link #REMINDER_SHARD}, {@link #NEXT_REMINDER_AT}: when its first reminder is due,
     * {@link ReminderSchedule#firstDue}). The attributes other functions own (notification, read,
     * paid, archived, the inbox keys, the reminders used) are never part of it.
     */
    static Map<String, AttributeValue> statusItem(Message message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(message.id()));
        item.put("fiscal_code", s(message.fiscalCode()));
        item.put("sender_service_id", s(message.senderServiceId()));
        item.put("created_at", s(Timestamps.format(message.createdAt())));
        item.put("time_to_live", n(message.timeToLive()));
        item.put("feature_level_type", s(message.featureLevelType().name()));
        MessageContent content = message.content();
        item.put("message_title", s(content.subject()));
        PaymentData payment = content.paymentData();
        String flag = content.precondition().applies() ? PRECONDITION_FLAG : "";
        if (payment != null && payment.hasPayee()) {
            item.put("category", s("PAYMENT" + flag));
            item.put(RPT_ID, s(payment.payeeFiscalCode() + payment.noticeNumber()));
            item.put(PAYMENT_AMOUNT, n(payment.amount()));
        } else {
            item.put("category", s("GENERIC" + flag));
        }
        item.put("has_attachments", bool(content.hasAttachments()));
        item.put("require_secure_channels", bool(content.anonymousPush()));
        if (content.dueDate() != null) {
            item.put("due_date", s(Timestamps.format(content.dueDate())));
        }
        // An ADVANCED payment message with a due date enters the reminders index at once, due when its first reminder is.
        ReminderSchedule.firstDue(message.featureLevelType(), payment != null && payment.hasPayee(), content.dueDate(),
                message.createdAt()).ifPresent(first -> {
                    item.put(REMINDER_SHARD, s(ReminderSchedule.shardOf(message.id())));
                    item.put(NEXT_REMINDER_AT, s(Timestamps.format(first)));
                });
        item.put("status", s(message.status().name()));
        if (message.rejectionReason() != null) {
            item.put("rejection_reason", s(message.rejectionReason().name()));
        }
        item.put("status_updated_at", s(Timestamps.format(message.statusUpdatedAt())));
        return item;
    }

    static Message fromItems(Map<String, AttributeValue> content, Map<String, AttributeValue> status) {
        if (!Objects.equals(content.get("fiscal_code"), status.get("fiscal_code"))) {
            throw new IllegalStateException("message " + string(status, "id") + ": its two items disagree on the recipient");
        }
        Instant createdAt = Timestamps.parse(string(content, "created_at"));
        MessageStatus messageStatus = MessageStatus.valueOf(string(status, "status"));
        return new Message(
                string(content, "id"),
                string(content, "fiscal_code"),
                string(content, "sender_service_id"),
                createdAt,
                (int) longValue(status, "time_to_live"),
                optString(status, "feature_level_type").flatMap(FeatureLevelType::fromName)
                        .orElse(FeatureLevelType.STANDARD),
                MessageContent.fromJson(Json.read(string(content, "content"))),
                messageStatus,
                messageStatus == MessageStatus.REJECTED ? RejectionReason.valueOf(string(status, "rejection_reason")) : null,
                optString(status, "status_updated_at").map(Timestamps::parse).orElse(createdAt),
                optString(status, NOTIFICATION_WEBHOOK).flatMap(NotificationChannelStatus::fromName).orElse(null),
                optTimestamp(status, NOTIFICATION_UPDATED_AT),
                optTimestamp(status, READ_AT),
                optTimestamp(status, PAID_AT),
                optString(status, RECEIPT_ID).orElse(null),
                optBool(status, IS_ARCHIVED).orElse(false),
                optTimestamp(status, PRECONDITION_ACCEPTED_AT),
                optString(status, NOTIFICATION_EMAIL).flatMap(NotificationChannelStatus::fromName).orElse(null));
    }

    static Instant optTimestamp(Map<String, AttributeValue> item, String name) {
        Optional<String> text = optString(item, name);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(text.get());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("attribute " + name + " is not an ISO-8601 timestamp");
        }
    }
}
