package dev.ioserverless.local.sns;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Topics and subscriptions. Reads (every publish) are lock-free over concurrent maps; changes are
 * serialised on this object so that idempotent creates cannot race into duplicates.
 */
final class SnsState {

    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO_TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:[^:]+:sns:[^:]*:[^:]*:[^:]+");
    static final Pattern QUEUE_ARN = Pattern.compile("arn:[^:]+:sqs:[^:]*:[^:]*:[A-Za-z0-9_-]{1,80}(\\.fifo)?");

    private final String region;
    private final String accountId;
    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    SnsState(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    String accountId() {
        return accountId;
    }

    // ---- topics -----------------------------------------------------------------------------

    /** Creates the topic, or returns the existing one of that name. */
    synchronized Topic createTopic(String name, Map<String, String> attributes) {
        boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoTopic"));
        if (name == null || !(fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).matcher(name).matches()) {
            throw SnsException.invalidParameter(fifo
                    ? "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase"
                    + " ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                    : "Topic Name");
        }
        Topic existing = topics.get(topicArn(name));
        if (existing != null) {
            return existing;
        }
        ConcurrentMap<String, String> stored = new ConcurrentHashMap<>();
        attributes.forEach((key, value) -> {
            if (key != null && value != null) {
                stored.put(key, value);
            }
        });
        Topic topic = new Topic(topicArn(name), name, stored);
        topics.put(topic.arn(), topic);
        return topic;
    }

    /** Deletes the topic and its subscriptions; deleting a missing topic is not an error. */
    synchronized void deleteTopic(String arn) {
        checkTopicArn(arn, "TopicArn");
        topics.remove(arn);
        subscriptions.values().removeIf(s -> s.topicArn().equals(arn));
    }

    /** The topic, or NotFound; a malformed ARN is an InvalidParameter error naming {@code parameter}. */
    Topic topic(String arn, String parameter) {
        checkTopicArn(arn, parameter);
        Topic topic = topics.get(arn);
        if (topic == null) {
            throw SnsException.notFound("Topic does not exist");
        }
        return topic;
    }

    synchronized void setTopicAttribute(String arn, String name, String value) {
        Topic topic = topic(arn, "TopicArn");
        if (name.equals("FifoTopic")) {
            throw SnsException.invalidParameter("AttributeName Reason: FifoTopic cannot be changed");
        }
        if (value == null || value.isEmpty()) {
            topic.attributes().remove(name);
        } else {
            topic.attributes().put(name, value);
        }
    }

    List<Topic> topics() {
        return topics.values().stream().sorted(Comparator.comparing(Topic::arn)).toList();
    }

    private String topicArn(String name) {
        return "arn:aws:sns:" + region + ":" + accountId + ":" + name;
    }

    private static void checkTopicArn(String arn, String parameter) {
        if (arn == null || !TOPIC_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter(parameter);
        }
    }

    // ---- subscriptions ----------------------------------------------------------------------

    /** Subscribes an SQS queue, or returns the existing subscription of the same topic, protocol and endpoint. */
    synchronized Subscription subscribe(String topicArn, String protocol, String endpoint,
                                        Map<String, String> attributes) {
        Topic topic = topic(topicArn, "TopicArn");
        if (protocol == null || !protocol.equals("sqs")) {
            throw SnsException.invalidParameter("Protocol Reason: the local SNS emulator supports only the sqs protocol");
        }
        if (endpoint == null || !QUEUE_ARN.matcher(endpoint).matches()) {
            throw SnsException.invalidParameter("SQS endpoint ARN");
        }
        if (endpoint.endsWith(".fifo") && !topic.fifo()) {
            throw SnsException.invalidParameter(
                    "Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
        }
        for (Subscription s : subscriptions.values()) {
            if (s.topicArn().equals(topicArn) && s.protocol().equals(protocol) && s.endpoint().equals(endpoint)) {
                return s;
            }
        }
        Subscription created = Subscription.create(topicArn + ":" + UUID.randomUUID(), topicArn, protocol, endpoint,
                attributes);
        subscriptions.put(created.arn(), created);
        return created;
    }

    synchronized void unsubscribe(String arn) {
        subscription(arn);
        subscriptions.remove(arn);
    }

    Subscription subscription(String arn) {
        Subscription s = arn == null ? null : subscriptions.get(arn);
        if (s == null) {
            throw SnsException.notFound("Subscription does not exist");
        }
        return s;
    }

    synchronized Subscription setSubscriptionAttribute(String arn, String name, String value) {
        Subscription changed = subscription(arn).with(name, value);
        subscriptions.put(arn, changed);
        return changed;
    }

    List<Subscription> subscriptions() {
        return subscriptions.values().stream().sorted(Comparator.comparing(Subscription::arn)).toList();
    }

    List<Subscription> subscriptionsOf(String topicArn) {
        return subscriptions.values().stream().filter(s -> s.topicArn().equals(topicArn)).toList();
    }
}
