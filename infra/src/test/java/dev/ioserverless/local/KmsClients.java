package dev.ioserverless.local;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import software.amazon.awssdk.services.kms.KmsClient;

/** A KMS client on the platform's KMS endpoint, as the functions build theirs. */
final class KmsClients {
    private KmsClients() {
    }

    static KmsClient of(LocalPlatform platform) {
        return AwsClients.kms(Config.of(platform.runtimeVariables()));
    }
}
