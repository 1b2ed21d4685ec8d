package dev.ioserverless.local.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A local Amazon SES v2 speaking its REST-JSON protocol, so that the unchanged
 * {@code SesV2Client} and the AWS CLI work against it: SendEmail (simple content), Create/Get
 * EmailIdentity, Create/Get ConfigurationSet and Create/Get ConfigurationSetEventDestination(s).
 * Like SES, it refuses a sender that is neither a created address identity nor at a created
 * domain identity, an unknown configuration set, and more than 50 recipients. Nothing is
 * delivered: every accepted email goes to an in-memory outbox, which {@link #emails}, {@link
 * #email} and {@link #eventRecord} read for the platform's {@code /_local/emails} routes. State is
 * in memory. Addresses, subjects and bodies are never logged: ids and counts only.
 */
public final class SesEmulator implements AutoCloseable {
    static {
        dev.ioserverless.local.runtime.HttpServers.sendAtOnce();
    }

    private static final Log LOG = Log.platform("ses-emulator");
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;   // SES v2's message size limit
    static final int MAX_RECIPIENTS = 50;
    private static final Pattern CONFIGURATION_SET_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s<>]+@[^@\\s<>]+$");
    private static final Pattern DOMAIN = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    /** SES v2's event types, as MatchingEventTypes names them. */
    public static final Set<String> EVENT_TYPES = Set.of("SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN",
            "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION");

    /** One accepted email of the outbox. {@code tags} keeps the order SendEmail gave them. */
    public record Email(String id, String from, List<String> to, List<String> cc, List<String> bcc, String subject,
                        String text, String html, String configurationSet, Map<String, String> tags, Instant sentAt) {
        /** Every recipient, To, Cc and Bcc, as SES's {@code mail.destination} lists them. */
        public List<String> destination() {
            List<String> all = new ArrayList<>(to);
            all.addAll(cc);
            all.addAll(bcc);
            return all;
        }
    }

    /** An event destination of a configuration set; {@code topicArn} is null for a destination other than SNS. */
    public record EventDestination(String name, boolean enabled, Set<String> matchingEventTypes, String topicArn) {
    }

    private record Identity(String name, String type) {
    }

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Map<String, EventDestination>> configurationSets = new ConcurrentHashMap<>();
    private final List<Email> outbox = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Email> byId = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;
    private volatile URI endpoint;

    public SesEmulator(String region, String accountId, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized void start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("SES emulator already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 0);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "ses-emulator");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        endpoint = URI.create("http://" + host + ":" + created.getAddress().getPort());
    }

    public URI endpoint() {
        URI current = endpoint;
        if (current == null) {
            throw new IllegalStateException("SES emulator not started");
        }
        return current;
    }

    /** The next {@code count} SendEmail calls answer 429 TooManyRequestsException, as SES does past the sending rate. */
    public void throttle(int count) {
        throttled.set(count);
    }

    /** The outbox, newest first, or only the emails with {@code to} among their recipients (To, Cc or Bcc). */
    public List<Email> emails(String to) {
        List<Email> found = new ArrayList<>();
        synchronized (outbox) {
            for (int i = outbox.size() - 1; i >= 0; i--) {
                Email email = outbox.get(i);
                if (to == null || email.destination().stream().anyMatch(a -> address(a).equalsIgnoreCase(to))) {
                    found.add(email);
                }
            }
        }
        return found;
    }

    public Optional<Email> email(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /**
     * The SNS topics that SES event publishing would send an event of this type (BOUNCE, COMPLAINT...)
     * of the email to: those of the enabled SNS destinations of its configuration set that match it.
     */
    public List<String> topicsFor(Email email, String eventType) {
        if (email.configurationSet() == null) {
            return List.of();
        }
        List<String> topics = new ArrayList<>();
        for (EventDestination destination : configurationSets.getOrDefault(email.configurationSet(), Map.of()).values()) {
            if (destination.enabled() && destination.topicArn() != null && destination.matchingEventTypes().contains(eventType)) {
                topics.add(destination.topicArn());
            }
        }
        return topics;
    }

    /** The event destinations of a configuration set, or empty when there is no such set. */
    public Optional<List<EventDestination>> eventDestinations(String configurationSet) {
        Map<String, EventDestination> destinations = configurationSets.get(configurationSet);
        return destinations == null ? Optional.empty() : Optional.of(List.copyOf(destinations.values()));
    }

    /**
     * The record SES publishes to SNS for a bounce ({@code BOUNCE}: permanent, general, every
     * recipient) or a complaint ({@code COMPLAINT}: abuse, every recipient) of the email at {@code
     * now}, as "Contents of event data that Amazon SES publishes to Amazon SNS" describes it.
     */
    public ObjectNode eventRecord(Email email, String eventType, Instant now) {
        String feedbackId = feedbackId(now);
        ObjectNode record = Json.object();
        switch (eventType) {
            case "BOUNCE" -> {
                record.put("eventType", "Bounce");
                ObjectNode bounce = record.putObject("bounce");
                bounce.put("bounceType", "Permanent");
                bounce.put("bounceSubType", "General");
                ArrayNode recipients = bounce.putArray("bouncedRecipients");
                for (String recipient : email.destination()) {
                    ObjectNode item = recipients.addObject();
                    item.put("emailAddress", address(recipient));
                    item.put("action", "failed");
                    item.put("status", "5.1.1");
                    item.put("diagnosticCode", "smtp; 550 5.1.1 user unknown");
                }
                bounce.put("timestamp", now.toString());
                bounce.put("feedbackId", feedbackId);
                bounce.put("reportingMTA", "dns; local.amazonses.com");
            }
            case "COMPLAINT" -> {
                record.put("eventType", "Complaint");
                ObjectNode complaint = record.putObject("complaint");
                ArrayNode recipients = complaint.putArray("complainedRecipients");
                for (String recipient : email.destination()) {
                    recipients.addObject().put("emailAddress", address(recipient));
                }
                complaint.put("timestamp", now.toString());
                complaint.put("feedbackId", feedbackId);
                complaint.put("complaintFeedbackType", "abuse");
                complaint.put("arrivalDate", now.toString());
            }
            default -> throw new IllegalArgumentException("no event record for " + eventType);
        }
        ObjectNode mail = record.putObject("mail");
        mail.put("timestamp", email.sentAt().toString());
        mail.put("source", email.from());
        mail.put("sourceArn", identityArn(identityOf(email.from())));
        mail.put("sendingAccountId", accountId);
        mail.put("messageId", email.id());
        ArrayNode destination = mail.putArray("destination");
        email.destination().forEach(destination::add);
        mail.put("headersTruncated", false);
        ObjectNode tags = mail.putObject("tags");
        tags.putArray("ses:configuration-set").add(email.configurationSet());
        tags.putArray("ses:from-domain").add(domainOf(email.from()));
        email.tags().forEach((name, value) -> tags.putArray(name).add(value));
        return record;
    }

    /** Creates an identity (an address or a domain) as CreateEmailIdentity does; false if it existed. */
    public boolean createIdentity(String name) {
        String type = ADDRESS.matcher(name).matches() ? "EMAIL_ADDRESS" : DOMAIN.matcher(name).matches() ? "DOMAIN" : null;
        if (type == null) {
            throw new SesError(400, "BadRequestException", "EmailIdentity: an email address or a domain, not a valid one");
        }
        return identities.putIfAbsent(name.toLowerCase(Locale.ROOT), new Identity(name, type)) == null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            try {
                if (body.length > MAX_REQUEST_BYTES) {
                    throw new SesError(400, "MessageRejected", "Message length exceeds the 10 MB limit.");
                }
                JsonNode request;
                try {
                    request = Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                } catch (IOException e) {
                    request = null;
                }
                if (request == null || !request.isObject()) {
                    throw new SesError(400, "BadRequestException", "the body is not a JSON object");
                }
                reply(exchange, 200, dispatch(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), request));
            } catch (SesError e) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", e.type + ":");
                reply(exchange, e.status, Json.object().put("message", e.getMessage()));
            }
        }
    }

    private ObjectNode dispatch(String method, String rawPath, JsonNode request) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.replaceAll("^/+|/+$", "").split("/")) {
            segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
        }
        if (segments.size() < 3 || !segments.get(0).equals("v2") || !segments.get(1).equals("email")) {
            throw new SesError(404, "NotFoundException", "no SES v2 operation at " + method + " " + rawPath);
        }
        String collection = segments.get(2);
        int size = segments.size();
        if (collection.equals("outbound-emails") && size == 3 && method.equals("POST")) {
            return sendEmail(request);
        }
        if (collection.equals("identities") && size == 3 && method.equals("POST")) {
            return createEmailIdentity(request);
        }
        if (collection.equals("identities") && size == 4 && method.equals("GET")) {
            return getEmailIdentity(segments.get(3));
        }
        if (collection.equals("configuration-sets") && size == 3 && method.equals("POST")) {
            return createConfigurationSet(request);
        }
        if (collection.equals("configuration-sets") && size == 4 && method.equals("GET")) {
            return getConfigurationSet(segments.get(3));
        }
        if (collection.equals("configuration-sets") && size == 5 && segments.get(4).equals("event-destinations")) {
            if (method.equals("POST")) {
                return createEventDestination(segments.get(3), request);
            }
            if (method.equals("GET")) {
                return getEventDestinations(segments.get(3));
            }
        }
        throw new SesError(404, "NotFoundException", "operation not supported by the local SES: " + method + " " + rawPath);
    }

    private ObjectNode sendEmail(JsonNode request) {
        if (throttled.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            LOG.info("ses_email_throttled");
            throw new SesError(429, "TooManyRequestsException", "Maximum sending rate exceeded.");
        }
        String from = request.path("FromEmailAddress").asText("");
        if (from.isEmpty() || !ADDRESS.matcher(address(from)).matches()) {
            throw new SesError(400, "BadRequestException", "FromEmailAddress: required, an email address");
        }
        JsonNode destination = request.path("Destination");
        List<String> to = addresses(destination.path("ToAddresses"));
        List<String> cc = addresses(destination.path("CcAddresses"));
        List<String> bcc = addresses(destination.path("BccAddresses"));
        int recipients = to.size() + cc.size() + bcc.size();
        if (recipients == 0) {
            throw new SesError(400, "BadRequestException", "Destination: at least one recipient is required");
        }
        if (recipients > MAX_RECIPIENTS) {
            throw new SesError(400, "MessageRejected", "Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
        JsonNode simple = request.path("Content").path("Simple");
        if (!simple.isObject()) {
            throw new SesError(400, "BadRequestException", "Content.Simple: required (the local SES takes simple content only)");
        }
        String subject = simple.path("Subject").path("Data").asText(null);
        if (subject == null) {
            throw new SesError(400, "BadRequestException", "Content.Simple.Subject.Data: required");
        }
        String text = simple.path("Body").path("Text").path("Data").asText(null);
        String html = simple.path("Body").path("Html").path("Data").asText(null);
        if (text == null && html == null) {
            throw new SesError(400, "BadRequestException", "Content.Simple.Body: Text or Html is required");
        }
        String configurationSet = request.path("ConfigurationSetName").asText(null);
        if (configurationSet != null && !configurationSets.containsKey(configurationSet)) {
            throw new SesError(404, "NotFoundException", "Configuration set <" + configurationSet + "> does not exist.");
        }
        if (identityOf(from) == null) {
            throw new SesError(400, "MessageRejected",
                    "Email address is not verified. The following identities failed the check: the sender");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : request.path("EmailTags")) {
            String name = tag.path("Name").asText("");
            if (name.isEmpty() || name.length() > 256) {
                throw new SesError(400, "BadRequestException", "EmailTags.Name: 1 to 256 characters");
            }
            tags.put(name, tag.path("Value").asText(""));
        }
        Instant now = clock.instant();
        Email email = new Email(messageId(now), from, to, cc, bcc, subject, text, html, configurationSet,
                Collections.unmodifiableMap(tags), now);
        byId.put(email.id(), email);
        outbox.add(email);
        LOG.info("ses_email_accepted", "message_id", email.id(), "recipients", recipients);
        return Json.object().put("MessageId", email.id());
    }

    private ObjectNode createEmailIdentity(JsonNode request) {
        String name = request.path("EmailIdentity").asText("");
        if (!createIdentity(name)) {
            throw new SesError(400, "AlreadyExistsException", "Email identity already exists.");
        }
        Identity identity = identities.get(name.toLowerCase(Locale.ROOT));
        ObjectNode reply = Json.object();
        reply.put("IdentityType", identity.type());
        reply.put("VerifiedForSendingStatus", true);
        reply.set("DkimAttributes", dkim());
        return reply;
    }

    private ObjectNode getEmailIdentity(String name) {
        Identity identity = identities.get(name.toLowerCase(Locale.ROOT));
        if (identity == null) {
            throw new SesError(404, "NotFoundException", "Email identity does not exist.");
        }
        ObjectNode reply = Json.object();
        reply.put("IdentityType", identity.type());
        reply.put("FeedbackForwardingStatus", true);
        reply.put("VerifiedForSendingStatus", true);
        reply.put("VerificationStatus", "SUCCESS");
        reply.set("DkimAttributes", dkim());
        reply.putObject("Policies");
        reply.putArray("Tags");
        return reply;
    }

    private static ObjectNode dkim() {
        ObjectNode dkim = Json.object();
        dkim.put("SigningEnabled", false);
        dkim.put("Status", "NOT_STARTED");
        dkim.put("SigningAttributesOrigin", "AWS_SES");
        dkim.putArray("Tokens");
        return dkim;
    }

    private ObjectNode createConfigurationSet(JsonNode request) {
        String name = request.path("ConfigurationSetName").asText("");
        if (!CONFIGURATION_SET_NAME.matcher(name).matches()) {
            throw new SesError(400, "BadRequestException", "ConfigurationSetName: 1 to 64 letters, digits, - and _");
        }
        if (configurationSets.putIfAbsent(name, new ConcurrentHashMap<>()) != null) {
            throw new SesError(400, "AlreadyExistsException", "Configuration set <" + name + "> already exists.");
        }
        return Json.object();
    }

    private ObjectNode getConfigurationSet(String name) {
        if (!configurationSets.containsKey(name)) {
            throw new SesError(404, "NotFoundException", "Configuration set <" + name + "> does not exist.");
        }
        ObjectNode reply = Json.object();
        reply.put("ConfigurationSetName", name);
        reply.putObject("DeliveryOptions").put("TlsPolicy", "OPTIONAL");
        reply.putObject("ReputationOptions").put("ReputationMetricsEnabled", false);
        reply.putObject("SendingOptions").put("SendingEnabled", true);
        reply.putArray("Tags");
        return reply;
    }

    private ObjectNode createEventDestination(String configurationSet, JsonNode request) {
        Map<String, EventDestination> destinations = configurationSets.get(configurationSet);
        if (destinations == null) {
            throw new SesError(404, "NotFoundException", "Configuration set <" + configurationSet + "> does not exist.");
        }
        String name = request.path("EventDestinationName").asText("");
        if (!CONFIGURATION_SET_NAME.matcher(name).matches()) {
            throw new SesError(400, "BadRequestException", "EventDestinationName: 1 to 64 letters, digits, - and _");
        }
        JsonNode definition = request.path("EventDestination");
        List<String> types = new ArrayList<>();
        for (JsonNode type : definition.path("MatchingEventTypes")) {
            if (!EVENT_TYPES.contains(type.asText())) {
                throw new SesError(400, "BadRequestException", "MatchingEventTypes: unknown event type " + type.asText());
            }
            types.add(type.asText());
        }
        if (types.isEmpty()) {
            throw new SesError(400, "BadRequestException", "MatchingEventTypes: at least one event type");
        }
        String topicArn = definition.path("SnsDestination").path("TopicArn").asText(null);
        if (definition.has("SnsDestination") && (topicArn == null || !topicArn.startsWith("arn:aws:sns:"))) {
            throw new SesError(400, "BadRequestException", "SnsDestination.TopicArn: an SNS topic ARN");
        }
        EventDestination destination = new EventDestination(name, definition.path("Enabled").asBoolean(false),
                Set.copyOf(types), topicArn);
        if (destinations.putIfAbsent(name, destination) != null) {
            throw new SesError(400, "AlreadyExistsException", "Event destination <" + name + "> already exists.");
        }
        LOG.info("ses_event_destination_created", "configuration_set", configurationSet, "event_destination", name);
        return Json.object();
    }

    private ObjectNode getEventDestinations(String configurationSet) {
        Map<String, EventDestination> destinations = configurationSets.get(configurationSet);
        if (destinations == null) {
            throw new SesError(404, "NotFoundException", "Configuration set <" + configurationSet + "> does not exist.");
        }
        ObjectNode reply = Json.object();
        ArrayNode list = reply.putArray("EventDestinations");
        for (EventDestination destination : destinations.values()) {
            ObjectNode item = list.addObject();
            item.put("Name", destination.name());
            item.put("Enabled", destination.enabled());
            ArrayNode types = item.putArray("MatchingEventTypes");
            destination.matchingEventTypes().stream().sorted().forEach(types::add);
            if (destination.topicArn() != null) {
                item.putObject("SnsDestination").put("TopicArn", destination.topicArn());
            }
        }
        return reply;
    }

    /** The created identity that lets this sender send: its address, or else its domain; null if none. */
    private Identity identityOf(String from) {
        String address = address(from).toLowerCase(Locale.ROOT);
        Identity exact = identities.get(address);
        return exact != null ? exact : identities.get(domainOf(from));
    }

    private String identityArn(Identity identity) {
        return identity == null ? null : "arn:aws:ses:" + region + ":" + accountId + ":identity/" + identity.name();
    }

    private static String domainOf(String from) {
        String address = address(from);
        return address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The bare address of {@code Name <address>} or of an address. */
    static String address(String value) {
        int open = value.lastIndexOf('<');
        int close = value.lastIndexOf('>');
        return (open >= 0 && close > open ? value.substring(open + 1, close) : value).trim();
    }

    private static List<String> addresses(JsonNode list) {
        List<String> found = new ArrayList<>();
        for (JsonNode item : list) {
            String value = item.asText("");
            if (!ADDRESS.matcher(address(value)).matches()) {
                throw new SesError(400, "BadRequestException", "Destination: every recipient must be an email address");
            }
            found.add(value);
        }
        return List.copyOf(found);
    }

    /** An id shaped as SES's are: 0100, the time in hex, a UUID and the region's suffix. */
    private static String messageId(Instant now) {
        return String.format("0100%012x-%s-000000", now.toEpochMilli(), UUID.randomUUID());
    }

    private static String feedbackId(Instant now) {
        return String.format("0100%012x-%s-000000", now.toEpochMilli(), UUID.randomUUID());
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class SesError extends RuntimeException {
        final int status;
        final String type;

        SesError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            endpoint = null;
        }
    }
}
