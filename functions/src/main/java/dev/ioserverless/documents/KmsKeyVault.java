package dev.ioserverless.documents;

import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@link KeyVault} on KMS: a key is encrypted under the platform's KMS key with the
 * configuration and environment as encryption context, and kept as base64 ciphertext. Opening
 * needs {@code kms:Decrypt} with the same context, which only the functions that call a body's
 * server have.
 */
public final class KmsKeyVault implements KeyVault {
    private final KmsClient kms;
    private final String keyId;

    public KmsKeyVault(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String seal(String key, Map<String, String> context) {
        byte[] ciphertext = kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String(key))
                .encryptionContext(context)).ciphertextBlob().asByteArray();
        return Base64.getEncoder().encodeToString(ciphertext);
    }

    @Override
    public String open(String sealed, Map<String, String> context) {
        return kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(sealed)))
                .encryptionContext(context)).plaintext().asUtf8String();
    }
}
