package dev.ioserverless.push;

import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registering a citizen's device so messages can be pushed to it, and forgetting it again.
 *
 * <p>Registration keeps one SNS endpoint per device token, as AWS recommends for mobile push: an
 * installation registered again with the same token keeps its endpoint, re-enabled if SNS disabled
 * it; with a new token (or platform), or when its endpoint was deleted, it gets the endpoint for the
 * new token, which SNS reuses if that token is already registered, and its old endpoint is deleted.
 * Safe to repeat.
 *
 * <p>A device token belongs to one installation: when the endpoint for a token was registered by
 * another installation (the app was reinstalled, or another citizen signed in on the same phone),
 * that installation is deleted, so the previous owner's messages are no longer pushed to this device.
 * An installation id another citizen registered is refused, unless with that installation's own
 * device token.
 */
public final class InstallationRegistrar {
    public static final String INSTALLATION_ID_PATTERN = "^[A-Za-z0-9._:-]{1,128}$";
    public static final int MAX_PUSH_CHANNEL = 4096;
    private static final Pattern INSTALLATION_ID = Pattern.compile(INSTALLATION_ID_PATTERN);
    private static final Pattern PUSH_CHANNEL = Pattern.compile("^[\\x21-\\x7E]+$");

    private final InstallationStore installations;
    private final PushEndpoints endpoints;
    private final Clock clock;

    public InstallationRegistrar(InstallationStore installations, PushEndpoints endpoints, Clock clock) {
        this.installations = installations;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /**
     * Creates or updates the installation and its SNS endpoint.
     *
     * @param platform {@code apns} or {@code fcm}
     * @param pushChannel the device token
     * @throws ProblemException a 400 naming every invalid field, or a 409 for another citizen's
     *     installation id; nothing is written then
     */
    public Installation register(String fiscalCode, String installationId, String platform, String pushChannel) {
        Platform parsedPlatform = validate(fiscalCode, installationId, platform, pushChannel);
        refuseAnotherCitizensInstallation(fiscalCode, installationId, parsedPlatform, pushChannel);
        // Stored timestamps have millisecond precision; the returned installation equals the stored one.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<Installation> existing = installations.find(fiscalCode, installationId);

        String endpointArn = null;
        String replacedArn = null;
        if (existing.isPresent()) {
            Installation current = existing.get();
            Optional<PushEndpoints.EndpointState> state = current.platform() == parsedPlatform
                    ? endpoints.describe(current.endpointArn())
                    : Optional.empty();
            if (state.isPresent() && pushChannel.equals(state.get().token())) {
                endpointArn = current.endpointArn();
                if (!state.get().enabled()) {
                    endpoints.update(endpointArn, pushChannel);
                }
            } else {
                // Another platform or another token: the endpoint for the new token replaces the old one.
                replacedArn = current.endpointArn();
            }
        }
        if (endpointArn == null) {
            endpointArn = endpoints.create(parsedPlatform, pushChannel);
        }

        Installation installation = new Installation(fiscalCode, installationId, parsedPlatform, pushChannel,
                endpointArn, existing.map(Installation::createdAt).orElse(now), now);
        installations.save(installation);

        for (InstallationKey other : installations.findByEndpoint(endpointArn)) {
            if (!other.equals(installation.key())) {
                installations.find(other.fiscalCode(), other.installationId())
                        .filter(previous -> previous.endpointArn().equals(installation.endpointArn()))
                        .ifPresent(installations::deleteIfUnchanged);
            }
        }
        if (replacedArn != null && !replacedArn.equals(endpointArn)) {
            endpoints.delete(replacedArn);
        }
        return installation;
    }

    /**
     * Forgets the installation, and deletes its endpoint unless another installation uses it.
     *
     * @return whether there was such an installation
     */
    public boolean unregister(String fiscalCode, String installationId) {
        Optional<Installation> existing = installations.find(fiscalCode, installationId);
        if (existing.isEmpty()) {
            return false;
        }
        Installation installation = existing.get();
        installations.delete(installation.key());
        boolean shared = installations.findByEndpoint(installation.endpointArn()).stream()
                .anyMatch(other -> !other.equals(installation.key()));
        if (!shared) {
            endpoints.delete(installation.endpointArn());
        }
        return true;
    }

    /**
     * An installation id registered by another citizen is theirs: it is refused, unless the
     * request carries that installation's own device token (the same phone, where another citizen
     * signed in), in which case the registration moves the device as any token move does.
     */
    private void refuseAnotherCitizensInstallation(
            String fiscalCode, String installationId, Platform platform, String pushChannel) {
        for (InstallationKey holder : installations.findByInstallationId(installationId)) {
            if (holder.fiscalCode().equals(fiscalCode)) {
                continue;
            }
            Optional<Installation> theirs = installations.find(holder.fiscalCode(), holder.installationId());
            boolean sameDevice = theirs.isPresent() && theirs.get().platform() == platform
                    && theirs.get().pushChannel().equals(pushChannel);
            if (theirs.isPresent() && !sameDevice) {
                throw new ProblemException(Problem.of(409, "Conflict",
                        "installationID: registered by another citizen; the app makes a new one per installation"));
            }
        }
    }

    private static Platform validate(String fiscalCode, String installationId, String platform, String pushChannel) {
        List<String> errors = new ArrayList<>();
        if (!FiscalCode.isValid(fiscalCode)) {
            errors.add("fiscal_code: must be a valid fiscal code matching " + FiscalCode.PATTERN);
        }
        if (installationId == null || !INSTALLATION_ID.matcher(installationId).matches()) {
            errors.add("installation_id: must match " + INSTALLATION_ID_PATTERN);
        }
        Optional<Platform> parsed = Platform.fromValue(platform);
        if (parsed.isEmpty()) {
            errors.add("platform: must be one of apns, gcm, fcmv1 (or fcm)");
        }
        if (pushChannel == null || pushChannel.isEmpty()) {
            errors.add("push_channel: required");
        } else if (pushChannel.length() > MAX_PUSH_CHANNEL || !PUSH_CHANNEL.matcher(pushChannel).matches()) {
            errors.add("push_channel: must be 1 to " + MAX_PUSH_CHANNEL + " printable ASCII characters without spaces");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return parsed.get();
    }
}
