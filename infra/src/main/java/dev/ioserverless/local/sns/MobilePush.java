package dev.ioserverless.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * SNS mobile push: platform applications, their device endpoints, and Publish with an endpoint as
 * {@code TargetArn}. There is no APNs or FCM behind it: a publish that SNS would hand to the
 * provider is recorded as a {@link SnsEmulator.PushDelivery} instead, with the payload the
 * provider would get (for {@code MessageStructure=json}, the entry for the endpoint's platform, else
 * {@code default}; for plain messages, the message).
 *
 * <p>Behaviour follows SNS: CreatePlatformEndpoint is idempotent for the same token and attributes
 * and fails with InvalidParameter ("already exists with the same Token, but different attributes")
 * otherwise; DeleteEndpoint and DeletePlatformApplication are idempotent; publishing to a disabled
 * endpoint is EndpointDisabled, to an unknown endpoint InvalidParameter ("No endpoint found for the
 * target arn specified"). Changes are serialised on this object; reads are lock-free.
 */
final class MobilePush {

    static final int MAX_DELIVERIES = 10_000;
    private static final int MAX_TOKEN_BYTES = 8192;
    private static final int MAX_CUSTOM_USER_DATA_BYTES = 2048;
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern APP_ARN = Pattern.compile("arn:[^:]+:sns:[^:]*:[^:]*:app/[A-Z_]+/[A-Za-z0-9_.-]{1,256}");
    private static final Pattern ENDPOINT_ARN =
            Pattern.compile("arn:[^:]+:sns:[^:]*:[^:]*:endpoint/[A-Z_]+/[A-Za-z0-9_.-]{1,256}/[0-9a-f-]{36}");
    private static final Set<String> ENDPOINT_ATTRIBUTES = Set.of(PlatformEndpoint.TOKEN, PlatformEndpoint.ENABLED,
            PlatformEndpoint.CUSTOM_USER_DATA);
    /** Message attributes SNS reserves for mobile push (TTL, APNs push type and priority, ...). */
    private static final String MOBILE_ATTRIBUTE_PREFIX = "AWS.SNS.MOBILE.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;
    private final String accountId;
    private final ConcurrentMap<String, PlatformApplication> applications = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PlatformEndpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final Deque<SnsEmulator.PushDelivery> deliveries = new ArrayDeque<>();
    /** Tokens whose publishes fail, and with what. */
    private final ConcurrentMap<String, SnsException> publishFaults = new ConcurrentHashMap<>();

    MobilePush(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    /** Whether {@code arn} names a platform endpoint (rather than a topic), by its resource part. */
    static boolean isEndpointArn(String arn) {
        return arn != null && arn.contains(":endpoint/");
    }

    // ---- platform applications --------------------------------------------------------------

    /** Creates the application, or returns the existing one with that name and platform. */
    synchronized PlatformApplication createApplication(String name, String platform, Map<String, String> attributes) {
        if (name == null || name.isEmpty()) {
            throw SnsException.invalidParameter("Name Reason: cannot be empty");
        }
        if (!APP_NAME.matcher(name).matches()) {
            throw SnsException.invalidParameter("Name Reason: must be made up of only uppercase and lowercase ASCII"
                    + " letters, numbers, underscores, hyphens, and periods, and must be between 1 and 256 characters long");
        }
        if (platform == null || platform.isEmpty()) {
            throw SnsException.invalidParameter("Platform Reason: cannot be empty");
        }
        if (!PlatformApplication.PLATFORMS.contains(platform)) {
            throw SnsException.invalidParameter("Platform Reason: " + platform
                    + " is not supported by the local SNS emulator (APNS, APNS_SANDBOX, GCM)");
        }
        String arn = "arn:aws:sns:" + region + ":" + accountId + ":app/" + platform + "/" + name;
        PlatformApplication existing = applications.get(arn);
        if (existing != null) {
            return existing;
        }
        Map<String, String> stored = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (key != null && value != null && !value.isEmpty()) {
                stored.put(key, value);
            }
        });
        checkEnabledValue(stored.get("Enabled"), "Attributes");
        PlatformApplication app = new PlatformApplication(arn, name, platform, Map.copyOf(stored));
        applications.put(arn, app);
        return app;
    }

    /** The application, or NotFound; a malformed ARN is an InvalidParameter error naming {@code parameter}. */
    PlatformApplication application(String arn, String parameter) {
        if (arn == null || !APP_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter(parameter);
        }
        PlatformApplication app = applications.get(arn);
        if (app == null) {
            throw SnsException.notFound("PlatformApplication does not exist");
        }
        return app;
    }

    synchronized void setApplicationAttributes(String arn, Map<String, String> attributes) {
        PlatformApplication app = application(arn, "PlatformApplicationArn");
        if (attributes.isEmpty()) {
            throw SnsException.invalidParameter("Attributes Reason: cannot be empty");
        }
        checkEnabledValue(attributes.get("Enabled"), "Attributes");
        applications.put(arn, app.with(attributes));
    }

    /** Deletes the application and its endpoints; deleting a missing application is not an error. */
    synchronized void deleteApplication(String arn) {
        if (arn == null || !APP_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter("PlatformApplicationArn");
        }
        applications.remove(arn);
        endpoints.values().removeIf(e -> e.applicationArn().equals(arn));
    }

    List<PlatformApplication> applications() {
        return applications.values().stream().sorted(Comparator.comparing(PlatformApplication::arn)).toList();
    }

    // ---- endpoints --------------------------------------------------------------------------

    /**
     * Creates an endpoint for {@code token}; if the application already has one with that token, returns
     * it when its attributes (Token, Enabled, CustomUserData) are the ones asked for, and fails otherwise,
     * naming the existing endpoint, as SNS does.
     */
    synchronized String createEndpoint(String applicationArn, String token, String customUserData,
                                       Map<String, String> attributes) {
        PlatformApplication app = application(applicationArn, "PlatformApplicationArn");
        checkToken(token);
        for (String name : attributes.keySet()) {
            if (!ENDPOINT_ATTRIBUTES.contains(name)) {
                throw SnsException.invalidParameter("Attributes Reason: Invalid attribute name: " + name);
            }
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(PlatformEndpoint.TOKEN, token);
        String enabled = attributes.get(PlatformEndpoint.ENABLED);
        checkEnabledValue(enabled, "Attributes");
        wanted.put(PlatformEndpoint.ENABLED, enabled == null || enabled.isEmpty() ? "true" : enabled.toLowerCase());
        // CustomUserData may come as a parameter or as an attribute; the attribute wins.
        String userData = attributes.getOrDefault(PlatformEndpoint.CUSTOM_USER_DATA, customUserData);
        if (userData != null && !userData.isEmpty()) {
            checkCustomUserData(userData);
            wanted.put(PlatformEndpoint.CUSTOM_USER_DATA, userData);
        }
        PlatformEndpoint existing = endpoints.values().stream()
                .filter(e -> e.applicationArn().equals(app.arn()) && token.equals(e.token()))
                .min(Comparator.comparingLong(PlatformEndpoint::created))
                .orElse(null);
        if (existing != null) {
            if (existing.attributes().equals(Map.copyOf(wanted))) {
                return existing.arn();
            }
            throw SnsException.invalidParameter("Token Reason: Endpoint " + existing.arn()
                    + " already exists with the same Token, but different attributes.");
        }
        String arn = "arn:aws:sns:" + region + ":" + accountId + ":endpoint/" + app.platform() + "/" + app.name()
                + "/" + UUID.randomUUID();
        endpoints.put(arn, new PlatformEndpoint(arn, app.arn(), app.platform(), Map.copyOf(wanted),
                created.incrementAndGet()));
        return arn;
    }

    /** The endpoint, or NotFound; a malformed ARN is an InvalidParameter error. */
    PlatformEndpoint endpoint(String arn) {
        checkEndpointArn(arn, "EndpointArn");
        PlatformEndpoint endpoint = endpoints.get(arn);
        if (endpoint == null) {
            throw SnsException.notFound("Endpoint does not exist");
        }
        return endpoint;
    }

    /** Token, Enabled and (when set) CustomUserData, in that order. */
    Map<String, String> describe(PlatformEndpoint endpoint) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PlatformEndpoint.TOKEN, endpoint.token());
        out.put(PlatformEndpoint.ENABLED, endpoint.attributes().get(PlatformEndpoint.ENABLED));
        String userData = endpoint.attributes().get(PlatformEndpoint.CUSTOM_USER_DATA);
        if (userData != null) {
            out.put(PlatformEndpoint.CUSTOM_USER_DATA, userData);
        }
        return out;
    }

    synchronized void setEndpointAttributes(String arn, Map<String, String> attributes) {
        PlatformEndpoint endpoint = endpoint(arn);
        if (attributes.isEmpty()) {
            throw SnsException.invalidParameter("Attributes Reason: cannot be empty");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue();
            switch (name) {
                case PlatformEndpoint.TOKEN -> {
                    checkToken(value);
                    changes.put(name, value);
                }
                case PlatformEndpoint.ENABLED -> {
                    if (value == null || value.isEmpty()) {
                        throw SnsException.invalidParameter("Attributes Reason: Enabled must be true or false");
                    }
                    checkEnabledValue(value, "Attributes");
                    changes.put(name, value.toLowerCase());
                }
                case PlatformEndpoint.CUSTOM_USER_DATA -> {
                    checkCustomUserData(value);
                    changes.put(name, value);
                }
                default -> throw SnsException.invalidParameter("Attributes Reason: Invalid attribute name: " + name);
            }
        }
        PlatformEndpoint changed = endpoint.with(changes);
        if ("".equals(changed.attributes().get(PlatformEndpoint.CUSTOM_USER_DATA))) {
            Map<String, String> without = new LinkedHashMap<>(changed.attributes());
            without.remove(PlatformEndpoint.CUSTOM_USER_DATA);
            changed = new PlatformEndpoint(changed.arn(), changed.applicationArn(), changed.platform(),
                    Map.copyOf(without), changed.created());
        }
        endpoints.put(arn, changed);
    }

    /** Deletes the endpoint; deleting a missing endpoint is not an error. */
    synchronized void deleteEndpoint(String arn) {
        checkEndpointArn(arn, "EndpointArn");
        endpoints.remove(arn);
    }

    List<PlatformEndpoint> endpointsOf(String applicationArn) {
        PlatformApplication app = application(applicationArn, "PlatformApplicationArn");
        return endpoints.values().stream().filter(e -> e.applicationArn().equals(app.arn()))
                .sorted(Comparator.comparing(PlatformEndpoint::arn)).toList();
    }

    /** Sets Enabled=false on every endpoint with this token, as SNS does when the provider reports it invalid. */
    synchronized void disableEndpointsWithToken(String token) {
        for (PlatformEndpoint endpoint : List.copyOf(endpoints.values())) {
            if (endpoint.token().equals(token)) {
                endpoints.put(endpoint.arn(), endpoint.with(Map.of(PlatformEndpoint.ENABLED, "false")));
            }
        }
    }

    /**
     * A fault for tests: every publish to an endpoint with this token fails with {@code code} until
     * {@link #stopFailingPublishes}, as SNS failing or throttling one device would.
     */
    void failPublishes(String token, String code) {
        SnsException fault = switch (code) {
            case "InternalError" -> SnsException.internal();
            case "Throttled" -> new SnsException("Throttled", 400, "Rate exceeded");
            default -> throw new IllegalArgumentException("no such SNS fault: " + code);
        };
        publishFaults.put(token, fault);
    }

    void stopFailingPublishes(String token) {
        publishFaults.remove(token);
    }

    // ---- publishing -------------------------------------------------------------------------

    /**
     * Publish with an endpoint as TargetArn: validates the request (Message, MessageStructure, Subject,
     * MessageAttributes, the 256 KB limit), checks that the endpoint exists and is enabled, and records
     * the delivery.
     */
    SnsEmulator.PushDelivery publish(String targetArn, QueryRequest params) {
        checkEndpointArn(targetArn, "TargetArn");
        String message = params.get("Message");
        if (message == null || message.isEmpty()) {
            throw SnsException.invalidParameter("Empty message");
        }
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        String structure = params.get("MessageStructure");
        JsonNode structured = null;
        if (structure != null && !structure.isEmpty()) {
            if (!structure.equals("json")) {
                throw SnsException.invalidParameter("MessageStructure");
            }
            structured = parseStructure(message);
        }
        String subject = params.get("Subject");
        if (subject != null && (subject.isEmpty() || subject.length() > 100
                || subject.chars().anyMatch(Character::isISOControl))) {
            throw SnsException.invalidParameter("Subject");
        }
        for (QueryRequest entry : params.indexed("MessageAttributes.entry")) {
            String name = entry.get("Name");
            size += mobileAttributeSize(name, entry);
        }
        if (size > Publisher.MAX_MESSAGE_BYTES) {
            throw SnsException.invalidParameter("Message too long");
        }

        PlatformEndpoint endpoint = endpoints.get(targetArn);
        PlatformApplication app = endpoint == null ? null : applications.get(endpoint.applicationArn());
        if (endpoint == null || app == null) {
            throw SnsException.invalidParameter("TargetArn Reason: No endpoint found for the target arn specified");
        }
        if (!app.enabled()) {
            throw new SnsException("PlatformApplicationDisabled", 400, "Platform application is disabled");
        }
        if (!endpoint.enabled()) {
            throw new SnsException("EndpointDisabled", 400, "Endpoint is disabled");
        }
        SnsException fault = publishFaults.get(endpoint.token());
        if (fault != null) {
            throw fault;
        }
        String payload = structured == null ? message : payloadFor(structured, endpoint.platform());
        SnsEmulator.PushDelivery delivery = new SnsEmulator.PushDelivery(UUID.randomUUID().toString(),
                endpoint.arn(), endpoint.platform(), endpoint.token(), payload, Instant.now());
        synchronized (deliveries) {
            deliveries.addLast(delivery);
            while (deliveries.size() > MAX_DELIVERIES) {
                deliveries.removeFirst();
            }
        }
        return delivery;
    }

    /** The deliveries to devices with this token, oldest first. */
    List<SnsEmulator.PushDelivery> deliveries(String token) {
        List<SnsEmulator.PushDelivery> out = new ArrayList<>();
        synchronized (deliveries) {
            for (SnsEmulator.PushDelivery delivery : deliveries) {
                if (delivery.token().equals(token)) {
                    out.add(delivery);
                }
            }
        }
        return List.copyOf(out);
    }

    private static JsonNode parseStructure(String message) {
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter("Message Structure - JSON message body failed to parse");
        }
        if (root == null || !root.isObject() || !root.path("default").isTextual()) {
            throw SnsException.invalidParameter("Message Structure - No default entry in JSON message body");
        }
        return root;
    }

    /**
     * The entry for the platform when it is a string, else {@code default}. A platform entry is what the
     * provider receives, so it must itself be a JSON object.
     */
    private static String payloadFor(JsonNode structured, String platform) {
        JsonNode entry = structured.get(platform);
        if (entry == null || !entry.isTextual()) {
            return structured.get("default").textValue();
        }
        try {
            JsonNode payload = JSON.readTree(entry.textValue());
            if (payload == null || !payload.isObject()) {
                throw new IllegalArgumentException();
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw SnsException.invalidParameter("Message Reason: Invalid notification for protocol " + platform
                    + ": Notification is malformed");
        }
        return entry.textValue();
    }

    /** Validates one message attribute; the reserved {@code AWS.SNS.MOBILE.*} names are allowed here. */
    private static int mobileAttributeSize(String name, QueryRequest entry) {
        String type = entry.get("Value.DataType");
        if (name != null && name.startsWith(MOBILE_ATTRIBUTE_PREFIX) && name.length() <= 256) {
            String value = entry.get("Value.StringValue");
            if (type == null || !(type.equals("String") || type.equals("Number")) || value == null || value.isEmpty()) {
                throw SnsException.invalidParameter("MessageAttributes Reason: the message attribute '" + name
                        + "' must be a String or Number with a non-empty value");
            }
            return name.getBytes(StandardCharsets.UTF_8).length + type.length()
                    + value.getBytes(StandardCharsets.UTF_8).length;
        }
        MessageAttribute attribute = MessageAttribute.of(name, type, entry.get("Value.StringValue"),
                entry.get("Value.BinaryValue"));
        return attribute.size(name);
    }

    private static void checkEndpointArn(String arn, String parameter) {
        if (arn == null || !ENDPOINT_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter(parameter);
        }
    }

    private static void checkToken(String token) {
        if (token == null || token.isEmpty()) {
            throw SnsException.invalidParameter("Token Reason: cannot be empty");
        }
        if (token.getBytes(StandardCharsets.UTF_8).length > MAX_TOKEN_BYTES) {
            throw SnsException.invalidParameter("Token Reason: must be at most 8192 bytes long in UTF-8 encoding");
        }
    }

    private static void checkCustomUserData(String value) {
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length >= MAX_CUSTOM_USER_DATA_BYTES) {
            throw SnsException.invalidParameter("CustomUserData Reason: must be less than 2KB in UTF-8 encoding");
        }
    }

    private static void checkEnabledValue(String value, String parameter) {
        if (value != null && !value.isEmpty() && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw SnsException.invalidParameter(parameter + " Reason: Enabled must be true or false, not " + value);
        }
    }
}
