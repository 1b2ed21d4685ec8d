package dev.ioserverless.documents;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.messages.ThirdPartyContent;

/**
 * The documents capability's wiring from configuration, in one place:
 * {@code REMOTE_CONTENT_CONFIGURATIONS_TABLE}, {@code REMOTE_CONTENT_KEY_ID} (the KMS key that
 * seals configuration keys), {@code REMOTE_CONTENT_ALLOW_LOOPBACK} ({@code true} only where the
 * platform runs locally: a body's server may then be on this machine, over http),
 * {@code DOCUMENTS_TABLE} and {@code DOCUMENTS_BUCKET}.
 */
public final class Documents {
    private Documents() {
    }

    public static ConfigurationStore configurations(Config config) {
        return new DynamoConfigurationStore(AwsClients.dynamoDb(config), config.require("REMOTE_CONTENT_CONFIGURATIONS_TABLE"));
    }

    public static KeyVault keyVault(Config config) {
        return new KmsKeyVault(AwsClients.kms(config), config.require("REMOTE_CONTENT_KEY_ID"));
    }

    public static boolean allowLoopback(Config config) {
        return Boolean.parseBoolean(config.get("REMOTE_CONTENT_ALLOW_LOOPBACK", "false"));
    }

    public static DocumentStore documents(Config config) {
        return new DynamoDocumentStore(AwsClients.dynamoDb(config), config.require("DOCUMENTS_TABLE"));
    }

    public static DocumentBucket bucket(Config config) {
        return new S3DocumentBucket(AwsClients.s3(config), AwsClients.s3Presigner(config), config.require("DOCUMENTS_BUCKET"));
    }

    /** The client of bodies' servers: public https addresses only, loopback too where the platform runs locally. */
    public static RemoteContentClient remoteContent(Config config) {
        return new RemoteContentClient(allowLoopback(config) ? AddressPolicy.allowLoopback() : AddressPolicy.publicOnly());
    }

    /** The batch's checks: remote content only, its messages take no documents. */
    public static ThirdPartyContent remoteContentChecks(Config config) {
        return onFirstUse(() -> new ThirdPartyChecks(configurations(config), null, null, config.clock()));
    }

    /** The submission's third-party checks, for the message submission functions. */
    public static ThirdPartyContent submissionChecks(Config config) {
        return onFirstUse(() -> new ThirdPartyChecks(configurations(config), documents(config), bucket(config),
                config.clock()));
    }

    /**
     * Checks built when a message first has third-party data or documents: a message without them
     * (most) costs the submission no S3 client, presigner or table adapter at start.
     */
    static ThirdPartyContent onFirstUse(java.util.function.Supplier<ThirdPartyContent> make) {
        return new ThirdPartyContent() {
            private volatile ThirdPartyContent checks;

            private ThirdPartyContent checks() {
                ThirdPartyContent built = checks;
                if (built == null) {
                    synchronized (this) {
                        if (checks == null) {
                            checks = make.get();
                        }
                        built = checks;
                    }
                }
                return built;
            }

            @Override
            public dev.ioserverless.messages.MessageContent check(dev.ioserverless.services.Service service,
                                                                  dev.ioserverless.messages.MessageContent content) {
                if (content.thirdPartyData() == null && content.documents().isEmpty()) {
                    return content;
                }
                return checks().check(service, content);
            }

            @Override
            public dev.ioserverless.messages.MessageContent attach(String messageId,
                                                                   dev.ioserverless.messages.MessageContent checked) {
                return checked.documents().isEmpty() ? checked : checks().attach(messageId, checked);
            }
        };
    }
}
