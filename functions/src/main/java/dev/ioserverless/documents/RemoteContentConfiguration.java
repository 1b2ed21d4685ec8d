package dev.ioserverless.documents;

import dev.ioserverless.messages.HasPrecondition;
import java.time.Instant;
import java.util.List;

/**
 * A remote-content configuration (IO's {@code RCConfiguration}): where a service's server answers
 * for its third-party messages, and how the platform authenticates to it. It belongs to the
 * service that created it; no other service sees it.
 *
 * @param prod null when the configuration has no production environment
 * @param test null when it has no test environment; messages to its {@code test_users} use it
 * @param retiredAt when its service retired it (our {@code DELETE}); null while live. Messages
 *     that name a retired configuration answer the citizen 410.
 */
public record RemoteContentConfiguration(
        String id, String serviceId, String name, String description, HasPrecondition hasPrecondition,
        List<String> disableLollipopFor, boolean lollipopEnabled, Environment prod, Environment test,
        Instant createdAt, Instant updatedAt, Instant retiredAt) {

    public RemoteContentConfiguration {
        disableLollipopFor = List.copyOf(disableLollipopFor);
    }

    /**
     * One environment of a configuration. The key is held only sealed ({@link KeyVault}): the
     * configuration never carries it in clear, and no response shows it.
     *
     * @param sealedKey the authentication key as {@link KeyVault#seal} made it
     * @param testUsers empty for the production environment
     */
    public record Environment(String baseUrl, String headerName, String sealedKey, String authenticationType,
                              List<String> testUsers) {
        public Environment {
            testUsers = List.copyOf(testUsers);
        }

        @Override
        public String toString() {
            return "Environment[" + baseUrl + ", " + headerName + ", key sealed]";
        }
    }

    public boolean retired() {
        return retiredAt != null;
    }

    /**
     * The environment that serves a message to {@code fiscalCode}: the test one for its test
     * users, otherwise the production one; null when the one that applies is not configured.
     */
    public Environment environmentFor(String fiscalCode) {
        if (test != null && test.testUsers().contains(fiscalCode)) {
            return test;
        }
        return prod;
    }

    /** Which of the two {@link #environmentFor} chose, for sealing contexts and logs. */
    public String environmentName(Environment environment) {
        return environment == test ? "test" : "prod";
    }
}
