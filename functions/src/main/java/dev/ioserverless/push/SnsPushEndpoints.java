package dev.ioserverless.push;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.EndpointDisabledException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/**
 * SNS platform endpoints under the platform applications {@code APNS_PLATFORM_APPLICATION_ARN} and
 * {@code FCM_PLATFORM_APPLICATION_ARN}, and pushes with Publish to an endpoint.
 *
 * <p>Pushes use {@code MessageStructure=json} with APNS, APNS_SANDBOX and GCM entries (SNS picks the
 * one of the endpoint's platform) and the TTL message attribute of the platform, so the provider
 * drops a push the device could only get after the message expired. The SDK's own retries apply
 * (throttling included) before a {@link ThrottledException} becomes a {@link PushThrottledException}.
 *
 * <p>SNS answers a publish to a disabled endpoint with EndpointDisabled and to a deleted one with
 * InvalidParameter ("No endpoint found for the target arn specified"); both are reported, not thrown.
 * No device token is ever put in a log or an exception message here.
 */
public final class SnsPushEndpoints implements PushEndpoints {
    /** SNS's way of naming the endpoint that already has a token, in an InvalidParameter message. */
    private static final Pattern EXISTING_ENDPOINT =
            Pattern.compile("Endpoint (arn:[^ ]+) already exists with the same [Tt]oken");
    private static final String NO_ENDPOINT = "No endpoint found for the target arn specified";

    private final SnsClient sns;
    private final Map<Platform, String> applicationArns;

    /**
     * @param applicationArns the platform application of each platform; a platform without one cannot
     *     register devices (pushing to existing endpoints still works)
     */
    public SnsPushEndpoints(SnsClient sns, Map<Platform, String> applicationArns) {
        this.sns = sns;
        this.applicationArns = applicationArns.isEmpty() ? Map.of() : new EnumMap<>(applicationArns);
    }

    @Override
    public String create(Platform platform, String token) {
        String application = applicationArns.get(platform);
        if (application == null) {
            throw new IllegalStateException("no platform application configured for " + platform.value());
        }
        try {
            return sns.createPlatformEndpoint(b -> b.platformApplicationArn(application).token(token)).endpointArn();
        } catch (InvalidParameterException e) {
            // The token has an endpoint whose attributes differ (typically: SNS disabled it). Reuse it.
            String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            Matcher existing = EXISTING_ENDPOINT.matcher(message == null ? "" : message);
            if (!existing.find()) {
                throw e;
            }
            String endpointArn = existing.group(1);
            update(endpointArn, token);
            return endpointArn;
        }
    }

    @Override
    public Optional<EndpointState> describe(String endpointArn) {
        try {
            Map<String, String> attributes = sns.getEndpointAttributes(b -> b.endpointArn(endpointArn)).attributes();
            return Optional.of(new EndpointState(attributes.get("Token"), "true".equalsIgnoreCase(attributes.get("Enabled"))));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void update(String endpointArn, String token) {
        sns.setEndpointAttributes(b -> b.endpointArn(endpointArn).attributes(Map.of("Token", token, "Enabled", "true")));
    }

    @Override
    public void delete(String endpointArn) {
        sns.deleteEndpoint(b -> b.endpointArn(endpointArn));
    }

    @Override
    public PublishResult publish(String endpointArn, Platform platform, PushNotification notification) {
        try {
            sns.publish(b -> b.targetArn(endpointArn)
                    .messageStructure("json")
                    .message(notification.snsMessage())
                    .messageAttributes(ttlAttributes(platform, notification)));
            return PublishResult.DELIVERED;
        } catch (EndpointDisabledException e) {
            return PublishResult.ENDPOINT_DISABLED;
        } catch (NotFoundException e) {
            return PublishResult.ENDPOINT_GONE;
        } catch (InvalidParameterException e) {
            String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            if (message != null && message.contains(NO_ENDPOINT)) {
                return PublishResult.ENDPOINT_GONE;
            }
            throw e;
        } catch (ThrottledException e) {
            throw new PushThrottledException(e);
        }
    }

    /** The remaining time to live, as the TTL attribute(s) of the installation's platform. */
    static Map<String, MessageAttributeValue> ttlAttributes(Platform platform, PushNotification notification) {
        MessageAttributeValue ttl = MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(Long.toString(notification.timeToLiveSeconds()))
                .build();
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        if (platform == Platform.APNS) {
            // The application may be APNs production or sandbox; SNS reads the attribute of its own platform.
            attributes.put("AWS.SNS.MOBILE.APNS.TTL", ttl);
            attributes.put("AWS.SNS.MOBILE.APNS_SANDBOX.TTL", ttl);
        } else {
            attributes.put("AWS.SNS.MOBILE.FCM.TTL", ttl);
        }
        return attributes;
    }
}
