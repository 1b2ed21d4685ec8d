package dev.ioserverless.push;

import java.time.Instant;
import java.util.Objects;

/**
 * One of a citizen's devices, in IO's vocabulary an installation of the app: where to push
 * notifications for the citizen with {@code fiscalCode}.
 *
 * @param installationId the app's id for this installation, unique per citizen
 * @param pushChannel the device token APNs or FCM gave the app. A secret: never logged, and left
 *     out of {@link #toString()} together with the fiscal code
 * @param endpointArn the SNS platform endpoint registered for {@code pushChannel}
 */
public record Installation(
        String fiscalCode,
        String installationId,
        Platform platform,
        String pushChannel,
        String endpointArn,
        Instant createdAt,
        Instant updatedAt) {

    public Installation {
        Objects.requireNonNull(fiscalCode, "fiscalCode");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(pushChannel, "pushChannel");
        Objects.requireNonNull(endpointArn, "endpointArn");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public InstallationKey key() {
        return new InstallationKey(fiscalCode, installationId);
    }

    @Override
    public String toString() {
        return "Installation[installationId=" + installationId + ", platform=" + platform.value()
                + ", endpointArn=" + endpointArn + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
