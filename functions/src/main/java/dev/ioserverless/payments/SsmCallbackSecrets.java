package dev.ioserverless.payments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The callback secrets from an SSM Parameter Store SecureString, read once per container and again
 * every {@link #REFRESH}, so a rotation reaches every warm container within minutes without a
 * deploy. When a refresh fails the secrets already held stay in use (and the next request tries
 * again); only a container that never read them fails its requests. Thread-safe.
 */
public final class SsmCallbackSecrets implements CallbackSecrets {
    public static final Duration REFRESH = Duration.ofMinutes(5);
    /** How long after a failed refresh the next one is tried. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final SsmClient ssm;
    private final String parameterName;
    private final Clock clock;
    private List<String> secrets;
    private Instant nextRead = Instant.MIN;

    public SsmCallbackSecrets(SsmClient ssm, String parameterName, Clock clock) {
        this.ssm = ssm;
        this.parameterName = parameterName;
        this.clock = clock;
    }

    @Override
    public synchronized List<String> current() {
        Instant now = clock.instant();
        if (secrets != null && now.isBefore(nextRead)) {
            return secrets;
        }
        try {
            String value = ssm.getParameter(b -> b.name(parameterName).withDecryption(true)).parameter().value();
            secrets = CallbackSecrets.parse(value);
            nextRead = now.plus(REFRESH);
        } catch (RuntimeException e) {
            if (secrets == null) {
                throw e;
            }
            nextRead = now.plus(RETRY);
        }
        return secrets;
    }
}
