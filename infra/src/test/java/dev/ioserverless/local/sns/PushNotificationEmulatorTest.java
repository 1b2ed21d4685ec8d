package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.emulators.DynamoDbLocal;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageProcessedEvent;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.DynamoNotificationStatusStore;
import dev.ioserverless.push.DynamoPushDeliveryLedger;
import dev.ioserverless.push.Installation;
import dev.ioserverless.push.InstallationKey;
import dev.ioserverless.push.InstallationRegistrar;
import dev.ioserverless.push.NotificationStatus;
import dev.ioserverless.push.PushDeliveryLedger;
import dev.ioserverless.push.PushNotificationHandler;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The push function's real adapters (DynamoDB stores, SNS endpoints) against DynamoDB Local and this
 * SNS emulator, with the tables the template is to declare: registering devices, pushing, redelivery,
 * dead tokens, and the status on the message item.
 */
class PushNotificationEmulatorTest {

    private static final Region REGION = Region.EU_SOUTH_1;
    private static final String ACCOUNT = "000000000000";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static final String MESSAGES = "push-test-message-status";   // the status items
    private static final String INSTALLATIONS = "push-test-installations";
    private static final String DELIVERIES = "push-test-deliveries";

    private static DynamoDbLocal dynamoDbLocal;
    private static DynamoDbClient dynamo;
    private static SqsClient unusedSqs;
    private static SnsEmulator emulator;
    private static SnsClient sns;
    private static Config config;
    private static String apnsApp;
    private static String fcmApp;

    @BeforeAll
    static void start() throws IOException {
        dynamoDbLocal = DynamoDbLocal.start("127.0.0.1", 0, null);
        dynamo = DynamoDbClient.builder().endpointOverride(dynamoDbLocal.endpoint()).region(REGION)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        unusedSqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(REGION)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        emulator = new SnsEmulator(unusedSqs, REGION.id(), ACCOUNT);
        emulator.start("127.0.0.1", 0);
        sns = SnsClient.builder().endpointOverride(emulator.endpoint()).region(REGION)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();

        createTable(MESSAGES, List.of(key("id", KeyType.HASH)));
        createTable(INSTALLATIONS, List.of(key("fiscal_code", KeyType.HASH), key("installation_id", KeyType.RANGE)),
                GlobalSecondaryIndex.builder().indexName(DynamoInstallationStore.BY_ENDPOINT_INDEX)
                        .keySchema(key("endpoint_arn", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build(),
                GlobalSecondaryIndex.builder().indexName(DynamoInstallationStore.BY_INSTALLATION_INDEX)
                        .keySchema(key("installation_id", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build());
        createTable(DELIVERIES, List.of(key("message_id", KeyType.HASH), key("delivery", KeyType.RANGE)));

        apnsApp = emulator.createPlatformApplication("io-test-apns", "APNS", Map.of());
        fcmApp = emulator.createPlatformApplication("io-test-fcm", "GCM", Map.of());
        java.util.Map<String, String> values = new java.util.HashMap<>(Map.of(
                "LOG_HASH_KEY", "push-emulator-test-log-hash-key-0123456789"));
        values.putAll(Map.of(
                "AWS_REGION", REGION.id(),
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbLocal.endpoint().toString(),
                "AWS_ENDPOINT_URL_SNS", emulator.endpoint().toString(),
                "MESSAGE_STATUS_TABLE", MESSAGES,
                "INSTALLATIONS_TABLE", INSTALLATIONS,
                "PUSH_DELIVERIES_TABLE", DELIVERIES,
                "APNS_PLATFORM_APPLICATION_ARN", apnsApp,
                "FCM_PLATFORM_APPLICATION_ARN", fcmApp));
        config = Config.of(values);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {sns, emulator, unusedSqs, dynamo, dynamoDbLocal}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    // ---- end to end -------------------------------------------------------------------------

    @Test
    void aProcessedMessageIsPushedToEveryDeviceOnceAndMarkedSent() {
        String citizen = citizen();
        String phoneToken = token();
        String tabletToken = token();
        Installation phone = registrar().register(citizen, "phone-" + citizen, "apns", phoneToken);
        Installation tablet = registrar().register(citizen, "tablet-" + citizen, "fcm", tabletToken);
        assertTrue(phone.endpointArn().startsWith("arn:aws:sns:eu-south-1:000000000000:endpoint/APNS/io-test-apns/"));
        assertTrue(tablet.endpointArn().startsWith("arn:aws:sns:eu-south-1:000000000000:endpoint/GCM/io-test-fcm/"));
        MessageProcessedEvent message = storedMessage(citizen, false, Instant.now());

        SQSBatchResponse response = handler().handleRequest(sqsEvent(message), null);
        handler().handleRequest(sqsEvent(message), null); // redelivered

        assertEquals(List.of(), response.getBatchItemFailures());
        List<SnsEmulator.PushDelivery> phonePushes = emulator.pushDeliveries(phoneToken);
        assertEquals(1, phonePushes.size(), "a redelivery pushes no device twice");
        assertEquals("APNS", phonePushes.get(0).platform());
        JsonNode apns = Json.read(phonePushes.get(0).payload());
        assertEquals("You have a new message", apns.path("aps").path("alert").path("title").textValue());
        assertEquals(message.messageId(), apns.path("message_id").textValue());
        List<SnsEmulator.PushDelivery> tabletPushes = emulator.pushDeliveries(tabletToken);
        assertEquals(1, tabletPushes.size());
        assertEquals(message.messageId(), Json.read(tabletPushes.get(0).payload())
                .path("fcmV1Message").path("message").path("data").path("message_id").textValue());

        Map<String, AttributeValue> item = messageItem(message.messageId());
        assertEquals("SENT", item.get("notification_webhook").s());
        assertNotNull(item.get("notification_updated_at").s());
        assertEquals("PROCESSED", item.get("status").s(), "the status update touches no other attribute");
        assertEquals("{\"subject\":\"untouched\"}", item.get("content").s());

        Map<String, AttributeValue> ledger = dynamo.getItem(b -> b.tableName(DELIVERIES).key(Map.of(
                "message_id", s(message.messageId()), "delivery", s("MESSAGE#phone-" + citizen)))).item();
        assertEquals("SENT", ledger.get("status").s());
        assertEquals("MESSAGE", ledger.get("kind").s());
        assertEquals("phone-" + citizen, ledger.get("installation_id").s());
        long expiresAt = Long.parseLong(ledger.get("expires_at").n());
        assertTrue(expiresAt > Instant.now().plus(29, ChronoUnit.DAYS).getEpochSecond(), "kept 30 days (TTL)");
    }

    @Test
    void aDeadTokenIsSkippedAndItsInstallationAndEndpointDeleted() {
        String citizen = citizen();
        String liveToken = token();
        String deadToken = token();
        registrar().register(citizen, "a-live-" + citizen, "apns", liveToken);
        Installation dead = registrar().register(citizen, "b-dead-" + citizen, "fcm", deadToken);
        emulator.disableEndpointsWithToken(deadToken);
        MessageProcessedEvent message = storedMessage(citizen, false, Instant.now());

        assertEquals(List.of(), handler().handleRequest(sqsEvent(message), null).getBatchItemFailures());

        assertEquals(1, emulator.pushDeliveries(liveToken).size());
        assertEquals(List.of(), emulator.pushDeliveries(deadToken));
        assertEquals("SENT", messageItem(message.messageId()).get("notification_webhook").s());
        assertTrue(new DynamoInstallationStore(dynamo, INSTALLATIONS).find(citizen, "b-dead-" + citizen).isEmpty());
        assertThrows(NotFoundException.class, () -> sns.getEndpointAttributes(r -> r.endpointArn(dead.endpointArn())));
    }

    @Test
    void onlyDeadTokensMeanFailedAndAnExpiredMessageIsExpired() {
        String citizen = citizen();
        String deadToken = token();
        registrar().register(citizen, "phone-" + citizen, "apns", deadToken);
        emulator.disableEndpointsWithToken(deadToken);
        MessageProcessedEvent failed = storedMessage(citizen, false, Instant.now());
        handler().handleRequest(sqsEvent(failed), null);
        assertEquals("FAILED", messageItem(failed.messageId()).get("notification_webhook").s());

        String other = citizen();
        String token = token();
        registrar().register(other, "phone-" + other, "fcm", token);
        MessageProcessedEvent expired = storedMessage(other, false, Instant.now().minusSeconds(3601));
        handler().handleRequest(sqsEvent(expired), null);
        assertEquals("EXPIRED", messageItem(expired.messageId()).get("notification_webhook").s());
        assertEquals(List.of(), emulator.pushDeliveries(token));

        MessageProcessedEvent nobody = storedMessage(citizen(), false, Instant.now());
        handler().handleRequest(sqsEvent(nobody), null);
        assertFalse(messageItem(nobody.messageId()).containsKey("notification_webhook"),
                "no device, no notification record");
    }

    // ---- registration -----------------------------------------------------------------------

    @Test
    void registeringADisabledTokenAgainReusesAndReEnablesItsEndpoint() {
        String citizen = citizen();
        String token = token();
        Installation first = registrar().register(citizen, "old-install-" + citizen, "apns", token);
        emulator.disableEndpointsWithToken(token);

        // The app was reinstalled: a new installation id with the same token. SNS answers
        // CreatePlatformEndpoint with "already exists with the same Token, but different attributes".
        Installation second = registrar().register(citizen, "new-install-" + citizen, "apns", token);

        assertEquals(first.endpointArn(), second.endpointArn());
        assertEquals("true", sns.getEndpointAttributes(r -> r.endpointArn(second.endpointArn())).attributes()
                .get("Enabled"));
        DynamoInstallationStore store = new DynamoInstallationStore(dynamo, INSTALLATIONS);
        assertEquals(List.of(new InstallationKey(citizen, "new-install-" + citizen)), store.findByEndpoint(second.endpointArn()));
        assertEquals(List.of("new-install-" + citizen), store.findAll(citizen).stream().map(Installation::installationId).toList(),
                "the old installation of the same device is gone");
    }

    @Test
    void aNewTokenReplacesTheEndpoint() {
        String citizen = citizen();
        Installation first = registrar().register(citizen, "phone-" + citizen, "fcm", token());
        String newToken = token();
        Installation second = registrar().register(citizen, "phone-" + citizen, "fcm", newToken);
        assertFalse(first.endpointArn().equals(second.endpointArn()));
        assertEquals(newToken, sns.getEndpointAttributes(r -> r.endpointArn(second.endpointArn())).attributes()
                .get("Token"));
        assertThrows(NotFoundException.class, () -> sns.getEndpointAttributes(r -> r.endpointArn(first.endpointArn())));
        assertEquals(first.createdAt(), second.createdAt());
    }

    // ---- adapters ---------------------------------------------------------------------------

    @Test
    void theLedgerClaimsEachEntryOnce() {
        DynamoPushDeliveryLedger ledger = new DynamoPushDeliveryLedger(dynamo, DELIVERIES);
        String messageId = Ulid.next();
        String kind = PushDeliveryLedger.MESSAGE;
        Instant now = Instant.now();
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, kind, "d", now));
        assertEquals(PushDeliveryLedger.Claim.IN_PROGRESS, ledger.claim(messageId, kind, "d", now.plusSeconds(10)));
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, kind, "d", now.plusSeconds(61)),
                "an expired lease can be taken over");
        ledger.release(messageId, kind, "d");
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, kind, "d", now.plusSeconds(62)));
        ledger.markFailed(messageId, kind, "d", now.plusSeconds(63));
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, kind, "d", now.plusSeconds(64)),
                "a failed entry can be tried again");
        ledger.markSent(messageId, kind, "d", now.plusSeconds(65));
        ledger.markFailed(messageId, kind, "d", now.plusSeconds(66));
        ledger.release(messageId, kind, "d");
        assertEquals(PushDeliveryLedger.Claim.ALREADY_SENT, ledger.claim(messageId, kind, "d", now.plusSeconds(3600)),
                "SENT is final");
    }

    /** The message's push and each of its reminders are entries of their own: one never stands for another. */
    @Test
    void eachKindOfPushHasItsOwnEntryPerDevice() {
        DynamoPushDeliveryLedger ledger = new DynamoPushDeliveryLedger(dynamo, DELIVERIES);
        String messageId = Ulid.next();
        Instant now = Instant.now();
        ledger.claim(messageId, PushDeliveryLedger.MESSAGE, "d", now);
        ledger.markSent(messageId, PushDeliveryLedger.MESSAGE, "d", now);
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, "REMINDER_PAYMENT#1", "d", now));
        ledger.markSent(messageId, "REMINDER_PAYMENT#1", "d", now);
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, "REMINDER_PAYMENT#2", "d", now));
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, "REMINDER_PAYMENT_LAST", "d", now));
        assertEquals(PushDeliveryLedger.Claim.CLAIMED, ledger.claim(messageId, "REMINDER_PAYMENT#1", "e", now),
                "another device");
        assertEquals(PushDeliveryLedger.Claim.ALREADY_SENT, ledger.claim(messageId, "REMINDER_PAYMENT#1", "d", now));
        assertEquals(PushDeliveryLedger.Claim.ALREADY_SENT, ledger.claim(messageId, PushDeliveryLedger.MESSAGE, "d", now));
    }

    @Test
    void theStatusStoreNeverCreatesAMessageAndKeepsSent() {
        DynamoNotificationStatusStore store = new DynamoNotificationStatusStore(dynamo, MESSAGES);
        String missing = Ulid.next();
        assertFalse(store.record(missing, NotificationStatus.SENT, Instant.now()));
        assertTrue(dynamo.getItem(b -> b.tableName(MESSAGES).key(Map.of("id", s(missing)))).item().isEmpty());

        MessageProcessedEvent message = storedMessage(citizen(), false, Instant.now());
        assertTrue(store.record(message.messageId(), NotificationStatus.THROTTLED, Instant.now()));
        assertTrue(store.record(message.messageId(), NotificationStatus.SENT, Instant.now()));
        assertFalse(store.record(message.messageId(), NotificationStatus.EXPIRED, Instant.now()));
        assertEquals("SENT", messageItem(message.messageId()).get("notification_webhook").s());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static PushNotificationHandler handler() {
        return new PushNotificationHandler(config);
    }

    private static InstallationRegistrar registrar() {
        return new InstallationRegistrar(new DynamoInstallationStore(dynamo, INSTALLATIONS),
                PushNotificationHandler.pushEndpoints(config), Clock.systemUTC());
    }

    /** A message item as the messages package stores it (the attributes that matter here), status PROCESSED. */
    private static MessageProcessedEvent storedMessage(String fiscalCode, boolean secure, Instant createdAt) {
        MessageProcessedEvent event = new MessageProcessedEvent(Ulid.of(createdAt.toEpochMilli()), fiscalCode,
                "01HSERVICE0000000000000001", createdAt.truncatedTo(ChronoUnit.MILLIS), 3600,
                FeatureLevelType.STANDARD, secure, false, true);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(event.messageId()));
        item.put("fiscal_code", s(fiscalCode));
        item.put("status", s("PROCESSED"));
        item.put("content", s("{\"subject\":\"untouched\"}"));
        dynamo.putItem(b -> b.tableName(MESSAGES).item(item));
        return event;
    }

    private static Map<String, AttributeValue> messageItem(String id) {
        return dynamo.getItem(b -> b.tableName(MESSAGES).key(Map.of("id", s(id))).consistentRead(true)).item();
    }

    private static SQSEvent sqsEvent(MessageProcessedEvent message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(UUID.randomUUID().toString());
        record.setBody(message.toJson());
        record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** A fresh valid fiscal code per test, so tests share the tables without seeing each other's devices. */
    private static String citizen() {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder name = new StringBuilder();
        UUID random = UUID.randomUUID();
        long bits = random.getMostSignificantBits() ^ random.getLeastSignificantBits();
        for (int i = 0; i < 6; i++) {
            name.append(letters.charAt((int) Math.floorMod(bits >> (i * 5), 26L)));
        }
        return name + "80A01H501U";
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static void createTable(String name, List<KeySchemaElement> keys, GlobalSecondaryIndex... indexes) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        keys.forEach(k -> names.add(k.attributeName()));
        for (GlobalSecondaryIndex index : indexes) {
            index.keySchema().forEach(k -> names.add(k.attributeName()));
        }
        List<AttributeDefinition> definitions = names.stream().map(n -> AttributeDefinition.builder()
                .attributeName(n).attributeType(ScalarAttributeType.S).build()).toList();
        dynamo.createTable(b -> {
            b.tableName(name).keySchema(keys).attributeDefinitions(definitions).billingMode(BillingMode.PAY_PER_REQUEST);
            if (indexes.length > 0) {
                b.globalSecondaryIndexes(indexes);
            }
        });
    }
}
