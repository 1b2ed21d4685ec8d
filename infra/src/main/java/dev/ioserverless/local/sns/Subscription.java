package dev.ioserverless.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An SQS subscription of a topic. Immutable: SetSubscriptionAttributes replaces it with
 * {@link #with}. {@code attributes} are the attributes as the caller set them; the raw-delivery flag,
 * the parsed filter policy and the dead-letter queue of the redrive policy are derived from them once.
 *
 * @param deadLetterTargetArn the SQS queue that gets what cannot be delivered to {@code endpoint}
 *     (the RedrivePolicy's {@code deadLetterTargetArn}), null without a redrive policy
 */
record Subscription(String arn, String topicArn, String protocol, String endpoint,
                    Map<String, String> attributes, boolean rawMessageDelivery, FilterPolicy filterPolicy,
                    String deadLetterTargetArn) {

    static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    static final String FILTER_POLICY = "FilterPolicy";
    static final String FILTER_POLICY_SCOPE = "FilterPolicyScope";
    static final String REDRIVE_POLICY = "RedrivePolicy";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attributes Subscribe and SetSubscriptionAttributes accept; the last two are stored only. */
    static final Set<String> SETTABLE_ATTRIBUTES = Set.of(RAW_MESSAGE_DELIVERY, FILTER_POLICY, FILTER_POLICY_SCOPE,
            REDRIVE_POLICY, "DeliveryPolicy", "SubscriptionRoleArn");

    static Subscription create(String arn, String topicArn, String protocol, String endpoint,
                               Map<String, String> requested) {
        Map<String, String> attributes = new LinkedHashMap<>();
        requested.forEach((name, value) -> put(attributes, name, value));
        return build(arn, topicArn, protocol, endpoint, attributes);
    }

    /** This subscription with one attribute changed; an empty value removes the attribute. */
    Subscription with(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(attributes);
        put(changed, name, value);
        return build(arn, topicArn, protocol, endpoint, changed);
    }

    private static void put(Map<String, String> attributes, String name, String value) {
        if (!SETTABLE_ATTRIBUTES.contains(name)) {
            throw SnsException.invalidParameter("AttributeName Reason: unknown or unsupported attribute " + name);
        }
        if (value == null || value.isEmpty()) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    private static Subscription build(String arn, String topicArn, String protocol, String endpoint,
                                      Map<String, String> attributes) {
        String raw = attributes.get(RAW_MESSAGE_DELIVERY);
        if (raw != null && !raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
            throw SnsException.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + raw
                    + "]. Must be true or false.");
        }
        FilterPolicy policy = null;
        try {
            FilterPolicy.Scope scope = FilterPolicy.Scope.fromAttribute(attributes.get(FILTER_POLICY_SCOPE));
            String json = attributes.get(FILTER_POLICY);
            if (json != null) {
                policy = FilterPolicy.parse(json, scope);
                if (policy.isEmpty()) {
                    policy = null;
                }
            }
        } catch (SnsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw SnsException.invalidParameter("Attributes Reason: FilterPolicy: " + e.getMessage());
        }
        return new Subscription(arn, topicArn, protocol, endpoint, Collections.unmodifiableMap(attributes),
                "true".equalsIgnoreCase(raw), policy, deadLetterTargetArn(attributes.get(REDRIVE_POLICY)));
    }

    /** The SQS queue ARN a RedrivePolicy names ({@code {"deadLetterTargetArn": "arn:aws:sqs:..."}}), null without one. */
    private static String deadLetterTargetArn(String redrivePolicy) {
        if (redrivePolicy == null) {
            return null;
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(redrivePolicy);
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter("RedrivePolicy: failed to parse JSON.");
        }
        JsonNode target = policy == null ? null : policy.get("deadLetterTargetArn");
        if (target == null || !target.isTextual()) {
            throw SnsException.invalidParameter("RedrivePolicy: deadLetterTargetArn is missing.");
        }
        if (!SnsState.QUEUE_ARN.matcher(target.textValue()).matches()) {
            throw SnsException.invalidParameter("RedrivePolicy: deadLetterTargetArn is an invalid arn.");
        }
        return target.textValue();
    }

    /** Whether a message passes this subscription's filter policy (no policy: everything passes). */
    boolean accepts(Map<String, MessageAttribute> messageAttributes, String message) {
        return filterPolicy == null || filterPolicy.matches(messageAttributes, message);
    }

    /** The endpoint queue's name: the last field of its ARN. */
    String queueName() {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    /** The attributes GetSubscriptionAttributes reports, as SNS reports them for a confirmed subscription. */
    Map<String, String> describe(String owner) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("SubscriptionArn", arn);
        out.put("TopicArn", topicArn);
        out.put("Owner", owner);
        out.put("Protocol", protocol);
        out.put("Endpoint", endpoint);
        out.put("ConfirmationWasAuthenticated", "true");
        out.put("PendingConfirmation", "false");
        out.putAll(attributes);
        out.put(RAW_MESSAGE_DELIVERY, Boolean.toString(rawMessageDelivery));
        if (attributes.containsKey(FILTER_POLICY)) {
            out.put(FILTER_POLICY_SCOPE, attributes.getOrDefault(FILTER_POLICY_SCOPE,
                    FilterPolicy.Scope.MESSAGE_ATTRIBUTES.attributeValue));
        }
        return out;
    }
}
