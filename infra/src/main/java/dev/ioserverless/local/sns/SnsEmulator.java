package dev.ioserverless.local.sns;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A local SNS emulator speaking the AWS Query protocol, so that the unchanged
 * {@code software.amazon.awssdk.services.sns.SnsClient} (with {@code endpointOverride}) and the AWS
 * CLI work against it. It delivers to SQS queues through the given {@link SqsClient}.
 *
 * <p>Actions: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes,
 * Subscribe (protocol {@code sqs} only), Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 * GetSubscriptionAttributes, SetSubscriptionAttributes, Publish and PublishBatch; and for mobile push
 * CreatePlatformApplication, GetPlatformApplicationAttributes, SetPlatformApplicationAttributes,
 * ListPlatformApplications, DeletePlatformApplication, CreatePlatformEndpoint, GetEndpointAttributes,
 * SetEndpointAttributes, DeleteEndpoint, ListEndpointsByPlatformApplication, and Publish with an
 * endpoint as TargetArn. There is no APNs or FCM behind mobile push: a successful publish to an
 * endpoint is recorded as a {@link PushDelivery} ({@link #pushDeliveries}).
 *
 * <p>Delivery happens before Publish replies, so a message is in every matching queue once the
 * publisher has its MessageId. All state is in memory and thread-safe.
 */
public final class SnsEmulator implements AutoCloseable {
    static {
        dev.ioserverless.local.runtime.HttpServers.sendAtOnce();
    }

    static final Log LOG = Log.platform("sns-emulator");

    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final int PAGE_SIZE = 100;
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private final SnsState state;
    private final Publisher publisher;
    private final MobilePush mobilePush;
    private HttpServer server;
    private ExecutorService executor;
    private volatile URI endpoint;

    public SnsEmulator(SqsClient sqs, String region, String accountId) {
        Objects.requireNonNull(sqs, "sqs");
        this.state = new SnsState(Objects.requireNonNull(region, "region"), Objects.requireNonNull(accountId, "accountId"));
        this.publisher = new Publisher(state, new SqsDelivery(sqs, this::endpoint));
        this.mobilePush = new MobilePush(region, accountId);
    }

    /** Starts the HTTP server on {@code host:port}; port 0 picks a free port (see {@link #endpoint()}). */
    public synchronized void start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("SNS emulator already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "sns-emulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        InetSocketAddress bound = created.getAddress();
        InetAddress address = bound.getAddress();
        String hostPart = address.isAnyLocalAddress() ? "127.0.0.1"
                : address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        endpoint = URI.create("http://" + hostPart + ":" + bound.getPort());
    }

    /** The base URL SDK clients use as {@code endpointOverride}, for example {@code http://127.0.0.1:4575}. */
    public URI endpoint() {
        URI current = endpoint;
        if (current == null) {
            throw new IllegalStateException("SNS emulator not started");
        }
        return current;
    }

    /** Creates a topic, or returns the ARN of the existing topic with that name. */
    public String createTopic(String name, Map<String, String> attributes) {
        return state.createTopic(name, attributes == null ? Map.of() : attributes).arn();
    }

    /**
     * Subscribes an SQS queue ({@code protocol} "sqs", {@code endpoint} the queue ARN) and returns the
     * subscription ARN; subscribing the same queue to the same topic again returns the existing one.
     */
    public String subscribe(String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
        return state.subscribe(topicArn, protocol, endpoint, attributes == null ? Map.of() : attributes).arn();
    }

    /**
     * A push delivery: what SNS would have handed to APNs or FCM for one publish to an endpoint.
     *
     * @param messageId the MessageId Publish returned
     * @param platform the platform application's platform: APNS, APNS_SANDBOX or GCM
     * @param token the endpoint's device token when it was published to
     * @param payload for MessageStructure=json the entry for the platform (else {@code default}); otherwise
     *     the message as published
     */
    public record PushDelivery(String messageId, String endpointArn, String platform, String token, String payload,
                               Instant deliveredAt) {
    }

    /**
     * Creates a mobile push platform application ({@code platform} APNS, APNS_SANDBOX or GCM), or returns
     * the ARN of the existing one with that name and platform. No credentials are needed locally.
     */
    public String createPlatformApplication(String name, String platform, Map<String, String> attributes) {
        return mobilePush.createApplication(name, platform, attributes == null ? Map.of() : attributes).arn();
    }

    /** The pushes delivered to devices with this token, oldest first (the latest 10,000 are kept). */
    public List<PushDelivery> pushDeliveries(String token) {
        return mobilePush.deliveries(Objects.requireNonNull(token, "token"));
    }

    /**
     * Simulates the provider (APNs, FCM) reporting a token as no longer valid: every endpoint with this
     * token gets Enabled=false, so publishing to it fails with EndpointDisabled until it is re-enabled.
     */
    public void disableEndpointsWithToken(String token) {
        mobilePush.disableEndpointsWithToken(Objects.requireNonNull(token, "token"));
    }

    /**
     * A fault for tests: until {@link #stopFailingPublishesTo}, every publish to an endpoint with this
     * token fails with the SNS error {@code code}, "InternalError" (HTTP 500) or "Throttled" (400),
     * and the device gets nothing, as when SNS fails or throttles for one device. Other devices are
     * unaffected. The SDK's own retries see the same error each time.
     */
    public void failPublishesTo(String token, String code) {
        mobilePush.failPublishes(Objects.requireNonNull(token, "token"), code);
    }

    public void stopFailingPublishesTo(String token) {
        mobilePush.stopFailingPublishes(Objects.requireNonNull(token, "token"));
    }

    /** Stops the HTTP server. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            endpoint = null;
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        int status = 200;
        String reply;
        try {
            String body = new String(readBody(exchange.getRequestBody()), StandardCharsets.UTF_8);
            reply = dispatch(QueryRequest.parse(exchange.getRequestURI().getRawQuery(), body), requestId);
        } catch (SnsException e) {
            status = e.status();
            reply = SnsXml.error(e, requestId);
        } catch (RuntimeException e) {
            LOG.error("request_failed", "request_id", requestId, "error", e.getClass().getSimpleName());
            SnsException internal = SnsException.internal();
            status = internal.status();
            reply = SnsXml.error(internal, requestId);
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=UTF-8");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            throw SnsException.invalidParameter("request body too large");
        }
        return body;
    }

    private String dispatch(QueryRequest q, String requestId) {
        String action = q.get("Action");
        if (action == null || action.isEmpty()) {
            throw new SnsException("MissingAction", 400, "The request must contain the parameter Action.");
        }
        return switch (action) {
            case "CreateTopic" -> createTopic(q, requestId);
            case "DeleteTopic" -> deleteTopic(q, requestId);
            case "ListTopics" -> listTopics(q, requestId);
            case "GetTopicAttributes" -> getTopicAttributes(q, requestId);
            case "SetTopicAttributes" -> setTopicAttributes(q, requestId);
            case "Subscribe" -> subscribe(q, requestId);
            case "Unsubscribe" -> unsubscribe(q, requestId);
            case "ListSubscriptions" -> listSubscriptions(q, requestId, null);
            case "ListSubscriptionsByTopic" -> listSubscriptions(q, requestId, q.require("TopicArn"));
            case "GetSubscriptionAttributes" -> getSubscriptionAttributes(q, requestId);
            case "SetSubscriptionAttributes" -> setSubscriptionAttributes(q, requestId);
            case "Publish" -> publish(q, requestId);
            case "PublishBatch" -> publishBatch(q, requestId);
            case "CreatePlatformApplication" -> createPlatformApplication(q, requestId);
            case "GetPlatformApplicationAttributes" -> getPlatformApplicationAttributes(q, requestId);
            case "SetPlatformApplicationAttributes" -> setPlatformApplicationAttributes(q, requestId);
            case "ListPlatformApplications" -> listPlatformApplications(q, requestId);
            case "DeletePlatformApplication" -> deletePlatformApplication(q, requestId);
            case "CreatePlatformEndpoint" -> createPlatformEndpoint(q, requestId);
            case "GetEndpointAttributes" -> getEndpointAttributes(q, requestId);
            case "SetEndpointAttributes" -> setEndpointAttributes(q, requestId);
            case "DeleteEndpoint" -> deleteEndpoint(q, requestId);
            case "ListEndpointsByPlatformApplication" -> listEndpointsByPlatformApplication(q, requestId);
            default -> throw new SnsException("InvalidAction", 400,
                    "The action " + action + " is not valid for this web service.");
        };
    }

    // ---- topics -----------------------------------------------------------------------------

    private String createTopic(QueryRequest q, String requestId) {
        Topic topic = state.createTopic(q.require("Name"), q.stringMap("Attributes"));
        return SnsXml.result("CreateTopic").element("TopicArn", topic.arn()).finish(requestId);
    }

    private String deleteTopic(QueryRequest q, String requestId) {
        state.deleteTopic(q.require("TopicArn"));
        return SnsXml.empty("DeleteTopic", requestId);
    }

    private String listTopics(QueryRequest q, String requestId) {
        Page<Topic> page = page(state.topics(), Topic::arn, q.get("NextToken"));
        SnsXml xml = SnsXml.result("ListTopics").open("Topics");
        page.items().forEach(t -> xml.open("member").element("TopicArn", t.arn()).close("member"));
        return xml.close("Topics").element("NextToken", page.nextToken()).finish(requestId);
    }

    private String getTopicAttributes(QueryRequest q, String requestId) {
        Topic topic = state.topic(q.require("TopicArn"), "TopicArn");
        SnsXml xml = SnsXml.result("GetTopicAttributes").open("Attributes")
                .entry("TopicArn", topic.arn())
                .entry("Owner", state.accountId())
                .entry("SubscriptionsConfirmed", Integer.toString(state.subscriptionsOf(topic.arn()).size()))
                .entry("SubscriptionsPending", "0")
                .entry("SubscriptionsDeleted", "0");
        if (!topic.attributes().containsKey("DisplayName")) {
            xml.entry("DisplayName", "");
        }
        if (topic.fifo() && !topic.attributes().containsKey("ContentBasedDeduplication")) {
            xml.entry("ContentBasedDeduplication", "false");
        }
        topic.attributes().forEach(xml::entry);
        return xml.close("Attributes").finish(requestId);
    }

    private String setTopicAttributes(QueryRequest q, String requestId) {
        state.setTopicAttribute(q.require("TopicArn"), q.require("AttributeName"), q.get("AttributeValue"));
        return SnsXml.empty("SetTopicAttributes", requestId);
    }

    // ---- subscriptions ----------------------------------------------------------------------

    private String subscribe(QueryRequest q, String requestId) {
        Subscription s = state.subscribe(q.require("TopicArn"), q.require("Protocol"), q.get("Endpoint"),
                q.stringMap("Attributes"));
        // SQS subscriptions are confirmed at once, so the ARN is returned whatever ReturnSubscriptionArn says.
        return SnsXml.result("Subscribe").element("SubscriptionArn", s.arn()).finish(requestId);
    }

    private String unsubscribe(QueryRequest q, String requestId) {
        state.unsubscribe(q.require("SubscriptionArn"));
        return SnsXml.empty("Unsubscribe", requestId);
    }

    private String listSubscriptions(QueryRequest q, String requestId, String topicArn) {
        String action = topicArn == null ? "ListSubscriptions" : "ListSubscriptionsByTopic";
        List<Subscription> all = topicArn == null ? state.subscriptions()
                : state.subscriptionsOf(state.topic(topicArn, "TopicArn").arn()).stream()
                        .sorted(Comparator.comparing(Subscription::arn)).toList();
        Page<Subscription> page = page(all, Subscription::arn, q.get("NextToken"));
        SnsXml xml = SnsXml.result(action).open("Subscriptions");
        page.items().forEach(s -> xml.open("member")
                .element("SubscriptionArn", s.arn())
                .element("Owner", state.accountId())
                .element("Protocol", s.protocol())
                .element("Endpoint", s.endpoint())
                .element("TopicArn", s.topicArn())
                .close("member"));
        return xml.close("Subscriptions").element("NextToken", page.nextToken()).finish(requestId);
    }

    private String getSubscriptionAttributes(QueryRequest q, String requestId) {
        Subscription s = state.subscription(q.require("SubscriptionArn"));
        SnsXml xml = SnsXml.result("GetSubscriptionAttributes").open("Attributes");
        s.describe(state.accountId()).forEach(xml::entry);
        return xml.close("Attributes").finish(requestId);
    }

    private String setSubscriptionAttributes(QueryRequest q, String requestId) {
        state.setSubscriptionAttribute(q.require("SubscriptionArn"), q.require("AttributeName"),
                q.get("AttributeValue"));
        return SnsXml.empty("SetSubscriptionAttributes", requestId);
    }

    // ---- publishing -------------------------------------------------------------------------

    private String publish(QueryRequest q, String requestId) {
        if (q.get("PhoneNumber") != null) {
            throw SnsException.invalidParameter("PhoneNumber Reason: SMS is not supported by the local SNS emulator");
        }
        String topicArn = q.get("TopicArn");
        String targetArn = q.get("TargetArn");
        if ((topicArn == null) == (targetArn == null)) {
            throw SnsException.invalidParameter("TopicArn or TargetArn Reason: exactly one must be given");
        }
        if (MobilePush.isEndpointArn(targetArn)) {
            PushDelivery delivery = mobilePush.publish(targetArn, q);
            return SnsXml.result("Publish").element("MessageId", delivery.messageId()).finish(requestId);
        }
        Topic topic = topicArn != null ? state.topic(topicArn, "TopicArn") : state.topic(targetArn, "TargetArn");
        Notification notification = publisher.prepare(topic, q);
        publisher.fanOut(notification);
        return SnsXml.result("Publish")
                .element("MessageId", notification.messageId())
                .element("SequenceNumber", notification.sequenceNumber())
                .finish(requestId);
    }

    private String publishBatch(QueryRequest q, String requestId) {
        Topic topic = state.topic(q.require("TopicArn"), "TopicArn");
        List<QueryRequest> entries = q.indexed("PublishBatchRequestEntries.member");
        if (entries.isEmpty()) {
            throw new SnsException("EmptyBatchRequest", 400, "The batch request doesn't contain any entries");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw new SnsException("TooManyEntriesInBatchRequest", 400,
                    "The batch request contains more entries than permissible");
        }
        Set<String> ids = new HashSet<>();
        for (QueryRequest entry : entries) {
            String id = entry.get("Id");
            if (id == null || !BATCH_ENTRY_ID.matcher(id).matches()) {
                throw new SnsException("InvalidBatchEntryId", 400,
                        "The Id of a batch entry in a batch request doesn't abide by the specification");
            }
            if (!ids.add(id)) {
                throw new SnsException("BatchEntryIdsNotDistinct", 400,
                        "Two or more batch entries in the request have the same Id");
            }
        }

        List<String> acceptedIds = new ArrayList<>();
        List<Notification> accepted = new ArrayList<>();
        List<String[]> failed = new ArrayList<>(); // id, code, message
        int totalSize = 0;
        for (QueryRequest entry : entries) {
            try {
                Notification n = publisher.prepare(topic, entry);
                acceptedIds.add(entry.get("Id"));
                accepted.add(n);
                totalSize += n.size();
            } catch (SnsException e) {
                failed.add(new String[] {entry.get("Id"), e.code(), e.getMessage()});
            }
        }
        if (totalSize > Publisher.MAX_MESSAGE_BYTES) {
            throw new SnsException("BatchRequestTooLong", 400,
                    "The length of all the messages put together is more than the limit");
        }
        accepted.forEach(publisher::fanOut);

        SnsXml xml = SnsXml.result("PublishBatch").open("Successful");
        for (int i = 0; i < accepted.size(); i++) {
            xml.open("member")
                    .element("Id", acceptedIds.get(i))
                    .element("MessageId", accepted.get(i).messageId())
                    .element("SequenceNumber", accepted.get(i).sequenceNumber())
                    .close("member");
        }
        xml.close("Successful").open("Failed");
        for (String[] f : failed) {
            xml.open("member").element("Id", f[0]).element("Code", f[1]).element("Message", f[2])
                    .element("SenderFault", "true").close("member");
        }
        return xml.close("Failed").finish(requestId);
    }

    // ---- mobile push ------------------------------------------------------------------------

    private String createPlatformApplication(QueryRequest q, String requestId) {
        PlatformApplication app = mobilePush.createApplication(q.get("Name"), q.get("Platform"),
                q.stringMap("Attributes"));
        return SnsXml.result("CreatePlatformApplication").element("PlatformApplicationArn", app.arn())
                .finish(requestId);
    }

    private String getPlatformApplicationAttributes(QueryRequest q, String requestId) {
        PlatformApplication app = mobilePush.application(q.require("PlatformApplicationArn"),
                "PlatformApplicationArn");
        SnsXml xml = SnsXml.result("GetPlatformApplicationAttributes").open("Attributes");
        app.describe().forEach(xml::entry);
        return xml.close("Attributes").finish(requestId);
    }

    private String setPlatformApplicationAttributes(QueryRequest q, String requestId) {
        mobilePush.setApplicationAttributes(q.require("PlatformApplicationArn"), q.stringMap("Attributes"));
        return SnsXml.empty("SetPlatformApplicationAttributes", requestId);
    }

    private String listPlatformApplications(QueryRequest q, String requestId) {
        Page<PlatformApplication> page = page(mobilePush.applications(), PlatformApplication::arn,
                q.get("NextToken"));
        SnsXml xml = SnsXml.result("ListPlatformApplications").open("PlatformApplications");
        page.items().forEach(app -> {
            xml.open("member").element("PlatformApplicationArn", app.arn()).open("Attributes");
            app.describe().forEach(xml::entry);
            xml.close("Attributes").close("member");
        });
        return xml.close("PlatformApplications").element("NextToken", page.nextToken()).finish(requestId);
    }

    private String deletePlatformApplication(QueryRequest q, String requestId) {
        mobilePush.deleteApplication(q.require("PlatformApplicationArn"));
        return SnsXml.empty("DeletePlatformApplication", requestId);
    }

    private String createPlatformEndpoint(QueryRequest q, String requestId) {
        String arn = mobilePush.createEndpoint(q.require("PlatformApplicationArn"), q.get("Token"),
                q.get("CustomUserData"), q.stringMap("Attributes"));
        return SnsXml.result("CreatePlatformEndpoint").element("EndpointArn", arn).finish(requestId);
    }

    private String getEndpointAttributes(QueryRequest q, String requestId) {
        PlatformEndpoint endpoint = mobilePush.endpoint(q.require("EndpointArn"));
        SnsXml xml = SnsXml.result("GetEndpointAttributes").open("Attributes");
        mobilePush.describe(endpoint).forEach(xml::entry);
        return xml.close("Attributes").finish(requestId);
    }

    private String setEndpointAttributes(QueryRequest q, String requestId) {
        mobilePush.setEndpointAttributes(q.require("EndpointArn"), q.stringMap("Attributes"));
        return SnsXml.empty("SetEndpointAttributes", requestId);
    }

    private String deleteEndpoint(QueryRequest q, String requestId) {
        mobilePush.deleteEndpoint(q.require("EndpointArn"));
        return SnsXml.empty("DeleteEndpoint", requestId);
    }

    private String listEndpointsByPlatformApplication(QueryRequest q, String requestId) {
        Page<PlatformEndpoint> page = page(mobilePush.endpointsOf(q.require("PlatformApplicationArn")),
                PlatformEndpoint::arn, q.get("NextToken"));
        SnsXml xml = SnsXml.result("ListEndpointsByPlatformApplication").open("Endpoints");
        page.items().forEach(endpoint -> {
            xml.open("member").element("EndpointArn", endpoint.arn()).open("Attributes");
            mobilePush.describe(endpoint).forEach(xml::entry);
            xml.close("Attributes").close("member");
        });
        return xml.close("Endpoints").element("NextToken", page.nextToken()).finish(requestId);
    }

    // ---- paging -----------------------------------------------------------------------------

    private record Page<T>(List<T> items, String nextToken) {
    }

    /** Up to 100 items after the one whose key is {@code nextToken}; items are sorted by key. */
    private static <T> Page<T> page(List<T> sorted, Function<T, String> key, String nextToken) {
        List<T> rest = nextToken == null || nextToken.isEmpty() ? sorted
                : sorted.stream().filter(t -> key.apply(t).compareTo(nextToken) > 0).toList();
        if (rest.size() <= PAGE_SIZE) {
            return new Page<>(rest, null);
        }
        List<T> items = rest.subList(0, PAGE_SIZE);
        return new Page<>(items, key.apply(items.get(PAGE_SIZE - 1)));
    }
}
