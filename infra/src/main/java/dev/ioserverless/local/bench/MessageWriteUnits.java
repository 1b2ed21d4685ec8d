package dev.ioserverless.local.bench;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.inbox.DynamoInboxStore;
import dev.ioserverless.inbox.MessageStatusChange;
import dev.ioserverless.local.LocalPlatform;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.push.DynamoNotificationStatusStore;
import dev.ioserverless.push.NotificationStatus;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB write units one message costs over its life, as DynamoDB Local reports them
 * ({@code ReturnConsumedCapacity=INDEXES}): the real stores' writes (submission, processing, the
 * push channel's status, the citizen's first read and archiving through the inbox store). An SDK
 * interceptor asks every PutItem and UpdateItem for its consumed capacity and adds it up, table and
 * indexes apart.
 *
 * <pre>java -cp infra/target/io-local.jar dev.ioserverless.local.bench.MessageWriteUnits</pre>
 */
public final class MessageWriteUnits {
    private MessageWriteUnits() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.defaults().withInProcess(true).withPort(0)
                .withStateDir(Files.createTempDirectory("io-bench")).withSchedules(false).withSeedDemo(false))) {
            String contentTable = platform.physicalName("MessagesTable");
            String statusTable = platform.physicalName("MessageStatusTable");
            for (int markdownChars : new int[] {200, 2_000, 10_000}) {
                Units units = new Units();
                DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.of(LocalPlatform.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                        .httpClient(UrlConnectionHttpClient.create()).endpointOverride(platform.dynamoDbEndpoint())
                        .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(units).build())
                        .build();
                DynamoMessageStore messages = new DynamoMessageStore(dynamo, contentTable, statusTable);
                DynamoInboxStore inbox = new DynamoInboxStore(dynamo, statusTable);
                Instant now = Instant.now();
                String id = Ulid.next();
                Message message = Message.accepted(id, "RSSMRA80A01H501U", "demo-tari", now, 3600, FeatureLevelType.STANDARD,
                        MessageContent.parse(Json.object().put("subject", "Avviso di pagamento TARI 2026")
                                .put("markdown", "x".repeat(markdownChars))));
                units.step("submit (create)");
                messages.create(message);
                units.step("process (ACCEPTED to PROCESSED)");
                messages.transition(id, MessageStatus.PROCESSED, null, now);
                units.step("push channel SENT");
                new DynamoNotificationStatusStore(dynamo, statusTable).record(id, NotificationStatus.SENT, now);
                units.step("first read (citizen API, reading)");
                inbox.change(message.fiscalCode(), id, new MessageStatusChange(true, null), now);
                units.step("archive (citizen API, archiving)");
                inbox.change(message.fiscalCode(), id, new MessageStatusChange(false, true), now);
                units.step(null);
                System.out.println("markdown " + markdownChars + " characters:");
                units.print();
                dynamo.close();
            }
        }
    }

    /** Adds up the consumed write units of each step, table and indexes apart. */
    static final class Units implements ExecutionInterceptor {
        private final Map<String, double[]> steps = new LinkedHashMap<>();
        private String current;

        void step(String name) {
            current = name;
            if (name != null) {
                steps.put(name, new double[2]);
            }
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (request instanceof PutItemRequest put) {
                return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            if (request instanceof UpdateItemRequest update) {
                return update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            return request;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            SdkResponse response = context.response();
            ConsumedCapacity capacity = response instanceof PutItemResponse put ? put.consumedCapacity()
                    : response instanceof UpdateItemResponse update ? update.consumedCapacity() : null;
            if (capacity == null || current == null) {
                return;
            }
            double[] sums = steps.get(current);
            sums[0] += capacity.table() == null || capacity.table().capacityUnits() == null ? 0 : capacity.table().capacityUnits();
            if (capacity.globalSecondaryIndexes() != null) {
                capacity.globalSecondaryIndexes().values().forEach(index -> sums[1] += index.capacityUnits());
            }
        }

        void print() {
            double table = 0;
            double indexes = 0;
            for (Map.Entry<String, double[]> step : steps.entrySet()) {
                System.out.printf("  %-52s table %5.1f  indexes %5.1f%n", step.getKey(), step.getValue()[0], step.getValue()[1]);
                table += step.getValue()[0];
                indexes += step.getValue()[1];
            }
            System.out.printf("  %-52s table %5.1f  indexes %5.1f  all %5.1f%n", "total", table, indexes, table + indexes);
        }
    }
}
