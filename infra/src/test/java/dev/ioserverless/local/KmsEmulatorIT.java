package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.local.kms.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** The platform's KMS through the unchanged {@code KmsClient}, as the functions use it. */
class KmsEmulatorIT {
    private static final Map<String, String> CONTEXT = Map.of("service_id", "demo-tari", "purpose", "remote-content");
    private static KmsClient kms;
    private static KeyMetadata key;

    @BeforeAll
    static void createKey() {
        kms = TestPlatform.get().kms();
        key = kms.createKey(b -> b.description("KmsEmulatorIT")).keyMetadata();
    }

    @Test
    void aKeyIsDescribedByIdArnOrAlias() {
        assertEquals("arn:aws:kms:" + LocalPlatform.REGION + ":" + LocalPlatform.ACCOUNT_ID + ":key/" + key.keyId(), key.arn());
        assertTrue(key.enabled());
        String alias = "alias/kms-it-" + UUID.randomUUID();
        kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
        for (String keyId : new String[] {key.keyId(), key.arn(), alias}) {
            assertEquals(key.keyId(), kms.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId(), keyId);
        }
        assertTrue(kms.listAliases(b -> b.keyId(key.keyId())).aliases().stream().map(AliasListEntry::aliasName)
                .anyMatch(alias::equals));
        byte[] sealed = kms.encrypt(b -> b.keyId(alias).plaintext(SdkBytes.fromUtf8String("by alias")))
                .ciphertextBlob().asByteArray();
        assertEquals("by alias", kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(sealed))).plaintext().asUtf8String());
    }

    @Test
    void encryptAndDecryptUnderAnEncryptionContext() {
        byte[] secret = "the body's remote-content key".getBytes(StandardCharsets.UTF_8);
        var encrypted = kms.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(secret))
                .encryptionContext(CONTEXT));
        assertEquals(key.arn(), encrypted.keyId());
        byte[] blob = encrypted.ciphertextBlob().asByteArray();
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("remote-content key"), "the blob hides the plaintext");

        // No KeyId: the blob names its key, as with KMS.
        var decrypted = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(CONTEXT));
        assertArrayEquals(secret, decrypted.plaintext().asByteArray());
        assertEquals(key.arn(), decrypted.keyId());
        assertArrayEquals(secret, kms.decrypt(b -> b.keyId(key.arn()).ciphertextBlob(SdkBytes.fromByteArray(blob))
                .encryptionContext(CONTEXT)).plaintext().asByteArray());

        InvalidCiphertextException otherContext = assertThrows(InvalidCiphertextException.class,
                () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob))
                        .encryptionContext(Map.of("service_id", "another-service", "purpose", "remote-content"))));
        assertEquals(400, otherContext.statusCode());
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob))));
        byte[] tampered = blob.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(tampered))
                .encryptionContext(CONTEXT)));
        String otherKey = kms.createKey(b -> b.description("another")).keyMetadata().keyId();
        assertThrows(IncorrectKeyException.class, () -> kms.decrypt(b -> b.keyId(otherKey)
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(CONTEXT)));
    }

    @Test
    void generateDataKeyGivesAnAes256KeyAndItsSealedCopy() {
        var dataKey = kms.generateDataKey(b -> b.keyId(key.keyId()).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));
        assertEquals(32, dataKey.plaintext().asByteArray().length);
        assertArrayEquals(dataKey.plaintext().asByteArray(), kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob())
                .encryptionContext(CONTEXT)).plaintext().asByteArray());
    }

    @Test
    void anUnknownKeyIsNotFound() {
        String unknown = UUID.randomUUID().toString();
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> kms.encrypt(b -> b.keyId(unknown).plaintext(SdkBytes.fromUtf8String("x"))));
        assertEquals(400, notFound.statusCode());
        assertThrows(NotFoundException.class, () -> kms.describeKey(b -> b.keyId("alias/no-such-alias")));
    }

    @Test
    void plaintextsAreLimitedTo4096Bytes() {
        assertEquals(4096, kms.decrypt(b -> b.ciphertextBlob(kms.encrypt(e -> e.keyId(key.keyId())
                .plaintext(SdkBytes.fromByteArray(new byte[4096]))).ciphertextBlob())).plaintext().asByteArray().length);
        KmsException tooLong = assertThrows(KmsException.class,
                () -> kms.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[4097]))));
        assertEquals(400, tooLong.statusCode());
        assertEquals("ValidationException", tooLong.awsErrorDetails().errorCode());
    }

    @Test
    void persistedKeysDecryptAfterARestartAndOnlyTheirOwnerReadsThem(@TempDir Path state) throws Exception {
        byte[] blob;
        String keyId;
        try (KmsEmulator first = new KmsEmulator(LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID, state)) {
            first.start("127.0.0.1", 0);
            try (KmsClient client = client(first)) {
                keyId = client.createKey(b -> { }).keyMetadata().keyId();
                blob = client.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("kept"))).ciphertextBlob().asByteArray();
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("keys.json"))));
        assertFalse(Files.readString(state.resolve("keys.json")).contains("kept"));
        try (KmsEmulator second = new KmsEmulator(LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID, state)) {
            second.start("127.0.0.1", 0);
            try (KmsClient client = client(second)) {
                var decrypted = client.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob)));
                assertEquals("kept", decrypted.plaintext().asUtf8String());
                assertTrue(decrypted.keyId().endsWith(keyId));
            }
        }
    }

    private static KmsClient client(KmsEmulator emulator) {
        return KmsClient.builder().region(Region.of(LocalPlatform.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(emulator.endpoint()).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
