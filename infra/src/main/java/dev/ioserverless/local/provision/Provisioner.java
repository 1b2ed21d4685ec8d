package dev.ioserverless.local.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ioserverless.local.template.Resource;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.EventType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates what the template declares, through the same SDK calls a deployment would make:
 * tables (keys, indexes, TTL, streams), queues (attributes, dead-letter redrive) and topics with
 * their subscriptions (raw delivery, filter policies), buckets, KMS keys with their aliases, and SES
 * identities, configuration sets and their SNS event destinations. Safe to run again on persisted state.
 */
public final class Provisioner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);

    private final Stack stack;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final SnsClient sns;
    private final S3Client s3;
    private final KmsClient kms;
    private final SesV2Client ses;

    public Provisioner(Stack stack, DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns) {
        this(stack, dynamoDb, sqs, sns, null, null, null);
    }

    /** With S3 and KMS, for the template's buckets, keys and aliases (null: a template without them). */
    public Provisioner(Stack stack, DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns, S3Client s3, KmsClient kms) {
        this(stack, dynamoDb, sqs, sns, s3, kms, null);
    }

    /** With SES too, for the template's identities and configuration sets (null: a template without them). */
    public Provisioner(Stack stack, DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns, S3Client s3, KmsClient kms,
                       SesV2Client ses) {
        this.stack = stack;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.sns = sns;
        this.s3 = s3;
        this.kms = kms;
        this.ses = ses;
    }

    public void provision() {
        // Keys first: anything else may name one (a bucket's encryption, a function's environment).
        for (Resource key : stack.template().ofType(SamTemplate.KMS_KEY)) {
            createKey(key);
        }
        for (Resource alias : stack.template().ofType(SamTemplate.KMS_ALIAS)) {
            createAlias(alias);
        }
        for (Resource bucket : stack.template().ofType(SamTemplate.BUCKET)) {
            createBucket(bucket);
        }
        for (Resource table : stack.template().ofType(SamTemplate.TABLE)) {
            createTable(table);
        }
        List<Resource> queues = stack.template().ofType(SamTemplate.QUEUE);
        for (Resource queue : queues) {
            createQueue(queue);
        }
        // Redrive policies name other queues by ARN: set them once every queue exists.
        for (Resource queue : queues) {
            Object redrive = queue.property("RedrivePolicy");
            if (redrive != null) {
                sqs.setQueueAttributes(b -> b.queueUrl(stack.resolveString(Map.of("Ref", queue.logicalId())))
                        .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, toJson(stack.resolve(redrive)))));
            }
        }
        for (Resource topic : stack.template().ofType(SamTemplate.TOPIC)) {
            sns.createTopic(b -> b.name(stack.physicalName(topic.logicalId())));
        }
        for (Resource subscription : stack.template().ofType(SamTemplate.SUBSCRIPTION)) {
            subscribe(subscription);
        }
        // SES after the topics its event destinations publish to.
        for (Resource identity : stack.template().ofType(SamTemplate.SES_EMAIL_IDENTITY)) {
            require(ses, identity);
            String name = stack.physicalName(identity.logicalId());
            try {
                ses.createEmailIdentity(b -> b.emailIdentity(name));
            } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException alreadyThere) {
                // persisted state, or the same identity in another stack
            }
        }
        for (Resource set : stack.template().ofType(SamTemplate.SES_CONFIGURATION_SET)) {
            require(ses, set);
            String name = stack.physicalName(set.logicalId());
            try {
                ses.createConfigurationSet(b -> b.configurationSetName(name));
            } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException alreadyThere) {
                // persisted state from an earlier run
            }
        }
        for (Resource destination : stack.template().ofType(SamTemplate.SES_EVENT_DESTINATION)) {
            createEventDestination(destination);
        }
    }

    /**
     * CloudFormation's {@code EventDestination} ({@code Name}, {@code Enabled}, lower-camel
     * {@code MatchingEventTypes} such as {@code bounce} or {@code renderingFailure}, {@code
     * SnsDestination.TopicARN}) as SES v2's CreateConfigurationSetEventDestination takes it.
     */
    private void createEventDestination(Resource destination) {
        require(ses, destination);
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) stack.resolve(destination.properties());
        String configurationSet = str(p, "ConfigurationSetName");
        Map<String, Object> definition = p.get("EventDestination") instanceof Map<?, ?> m ? cast(m) : Map.of();
        String name = definition.get("Name") != null ? String.valueOf(definition.get("Name"))
                : stack.stackName() + "-" + destination.logicalId();
        List<EventType> types = new ArrayList<>();
        for (Object type : definition.get("MatchingEventTypes") instanceof List<?> l ? l : List.of()) {
            String upper = String.valueOf(type).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
            EventType eventType = EventType.fromValue(upper);
            if (eventType == EventType.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException(destination.logicalId() + ".EventDestination.MatchingEventTypes: unknown "
                        + type);
            }
            types.add(eventType);
        }
        Object sns = definition.get("SnsDestination") instanceof Map<?, ?> d ? d.get("TopicARN") : null;
        // As in SES, a destination is enabled only when Enabled says so (the default is false).
        boolean enabled = "true".equals(String.valueOf(definition.get("Enabled")));
        try {
            ses.createConfigurationSetEventDestination(b -> b.configurationSetName(configurationSet)
                    .eventDestinationName(name)
                    .eventDestination(e -> {
                        e.enabled(enabled).matchingEventTypes(types);
                        if (sns != null) {
                            e.snsDestination(t -> t.topicArn(String.valueOf(sns)));
                        }
                    }));
        } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException alreadyThere) {
            // persisted state from an earlier run
        }
    }

    /**
     * KMS gives a key a random id, which {@code Ref} of the key returns. So that a persisted
     * platform finds the key it made before (and its ciphertexts stay readable), the key gets an
     * alias of the platform's own, {@code alias/<stack>/<LogicalId>}, looked up first.
     */
    private void createKey(Resource key) {
        require(kms, key);
        String aliasName = "alias/" + stack.stackName() + "/" + key.logicalId();
        String keyId = null;
        for (AliasListEntry alias : kms.listAliasesPaginator(b -> { }).aliases()) {
            if (alias.aliasName().equals(aliasName)) {
                keyId = alias.targetKeyId();
            }
        }
        if (keyId == null) {
            Object description = stack.resolve(key.property("Description"));
            keyId = kms.createKey(b -> b.description(description == null ? key.logicalId() : String.valueOf(description)))
                    .keyMetadata().keyId();
            String created = keyId;
            kms.createAlias(b -> b.aliasName(aliasName).targetKeyId(created));
        }
        stack.keyCreated(key.logicalId(), keyId);
    }

    private void createAlias(Resource alias) {
        require(kms, alias);
        String name = stack.physicalName(alias.logicalId());
        String target = stack.resolveString(alias.property("TargetKeyId"));
        try {
            kms.createAlias(b -> b.aliasName(name).targetKeyId(target));
        } catch (AlreadyExistsException alreadyThere) {
            // persisted state from an earlier run
        }
    }

    private void createBucket(Resource bucket) {
        require(s3, bucket);
        String name = stack.physicalName(bucket.logicalId());
        try {
            s3.createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException alreadyThere) {
            // persisted state from an earlier run
        }
    }

    private static void require(Object client, Resource resource) {
        if (client == null) {
            throw new IllegalStateException(resource.logicalId() + " (" + resource.type() + "): no endpoint to create it on");
        }
    }

    private void createTable(Resource table) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) stack.resolve(table.properties());
        String name = stack.physicalName(table.logicalId());
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(list(p.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(str(a, "AttributeName"))
                                .attributeType(str(a, "AttributeType")).build())
                        .toList())
                .keySchema(keySchema(p.get("KeySchema")));
        boolean onDemand = "PAY_PER_REQUEST".equals(p.get("BillingMode"));
        request.billingMode(onDemand ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
        if (!onDemand) {
            request.provisionedThroughput(throughput());
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Map<String, Object> index : list(p.get("GlobalSecondaryIndexes"))) {
            GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                    .indexName(str(index, "IndexName"))
                    .keySchema(keySchema(index.get("KeySchema")))
                    .projection(projection(index.get("Projection")));
            if (!onDemand) {
                gsi.provisionedThroughput(throughput());
            }
            gsis.add(gsi.build());
        }
        if (!gsis.isEmpty()) {
            request.globalSecondaryIndexes(gsis);
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (Map<String, Object> index : list(p.get("LocalSecondaryIndexes"))) {
            lsis.add(LocalSecondaryIndex.builder()
                    .indexName(str(index, "IndexName"))
                    .keySchema(keySchema(index.get("KeySchema")))
                    .projection(projection(index.get("Projection"))).build());
        }
        if (!lsis.isEmpty()) {
            request.localSecondaryIndexes(lsis);
        }
        if (p.get("StreamSpecification") instanceof Map<?, ?> stream) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(String.valueOf(stream.get("StreamViewType"))).build());
        }
        try {
            dynamoDb.createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            return; // persisted state from an earlier run
        }
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                    t -> t.attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
        }
    }

    private void createQueue(Resource queue) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
            Object value = stack.resolve(queue.property(property));
            if (value != null) {
                attributes.put(attribute, String.valueOf(value));
            }
        });
        String url = sqs.createQueue(b -> b.queueName(stack.physicalName(queue.logicalId())).attributes(attributes))
                .queueUrl();
        stack.queueCreated(queue.logicalId(), url);
    }

    private void subscribe(Resource subscription) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) stack.resolve(subscription.properties());
        Map<String, String> attributes = new HashMap<>();
        if (p.get("RawMessageDelivery") != null) {
            attributes.put("RawMessageDelivery", String.valueOf(p.get("RawMessageDelivery")));
        }
        if (p.get("FilterPolicy") != null) {
            attributes.put("FilterPolicy", toJson(p.get("FilterPolicy")));
        }
        if (p.get("FilterPolicyScope") != null) {
            attributes.put("FilterPolicyScope", String.valueOf(p.get("FilterPolicyScope")));
        }
        if (p.get("RedrivePolicy") != null) {   // the dead-letter queue of what cannot be delivered
            attributes.put("RedrivePolicy", toJson(p.get("RedrivePolicy")));
        }
        sns.subscribe(b -> b.topicArn(str(p, "TopicArn"))
                .protocol(str(p, "Protocol"))
                .endpoint(str(p, "Endpoint"))
                .attributes(attributes)
                .returnSubscriptionArn(true));
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return list(value).stream()
                .map(k -> KeySchemaElement.builder().attributeName(str(k, "AttributeName")).keyType(str(k, "KeyType")).build())
                .toList();
    }

    private static Projection projection(Object value) {
        Map<String, Object> p = value instanceof Map<?, ?> ? cast(value) : Map.of();
        Projection.Builder projection = Projection.builder()
                .projectionType(String.valueOf(p.getOrDefault("ProjectionType", "ALL")));
        if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
            projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return projection.build();
    }

    private static ProvisionedThroughput throughput() {
        return ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();
    }

    private static String toJson(Object value) {
        try {
            return value instanceof String s ? s : JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private static String str(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key + " in " + map);
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
