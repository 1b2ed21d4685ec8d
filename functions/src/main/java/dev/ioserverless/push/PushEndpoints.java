package dev.ioserverless.push;

import java.util.Optional;

/**
 * The SNS platform endpoints: one per device token, under the platform application of its
 * {@link Platform}.
 */
public interface PushEndpoints {

    /**
     * The endpoint for {@code token} under the platform's application, created if needed; if one
     * already exists for the token it is reused, with the token set and the endpoint enabled.
     *
     * @return the endpoint ARN
     */
    String create(Platform platform, String token);

    /** The endpoint's token and whether it is enabled; empty when the endpoint does not exist. */
    Optional<EndpointState> describe(String endpointArn);

    /** Sets the endpoint's token and enables it. */
    void update(String endpointArn, String token);

    /** Deletes the endpoint; deleting one that does not exist is not an error. */
    void delete(String endpointArn);

    /**
     * Pushes the notification to one device.
     *
     * @throws PushThrottledException when SNS throttled the request (after the client's own retries)
     * @throws RuntimeException for any other failure, which is worth retrying
     */
    PublishResult publish(String endpointArn, Platform platform, PushNotification notification);

    /** @param token the device token: a secret, never to be logged */
    record EndpointState(String token, boolean enabled) {
        @Override
        public String toString() {
            return "EndpointState[enabled=" + enabled + "]";
        }
    }

    enum PublishResult {
        /** SNS accepted the push for the provider. */
        DELIVERED,
        /** The endpoint is disabled: the provider reported its token as no longer valid. */
        ENDPOINT_DISABLED,
        /** The endpoint does not exist (any more). */
        ENDPOINT_GONE
    }
}
