package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.provision.BucketLifecycle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Buckets, keys and aliases of a template ({@code storage-test-template.yaml}, beside the real
 * one so that the real template's own resources stay the developers'), provisioned by a platform
 * of their own, and the local lifecycle run of the buckets' expiration rules.
 */
class StorageProvisioningIT {
    private static final String TEMPLATE = "src/test/resources/storage-test-template.yaml";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(options(Files.createTempDirectory("io-local-storage"), false));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static LocalPlatform.Options options(Path state, boolean persist) {
        return LocalPlatform.Options.defaults().withInProcess(true).withPort(0).withStateDir(state).withPersist(persist)
                .withTemplate(Path.of(TEMPLATE)).withSchedules(false).withSeedDemo(false);
    }

    @Test
    void bucketsAreCreatedUnderTheirNames() {
        assertEquals("io-local-documentsbucket", platform.physicalName("DocumentsBucket"));
        assertEquals("io-local-exports", platform.physicalName("ExportsBucket"));
        platform.s3().headBucket(b -> b.bucket("io-local-documentsbucket"));
        platform.s3().headBucket(b -> b.bucket("io-local-exports"));
        assertEquals("arn:aws:s3:::io-local-documentsbucket",
                platform.stack().resolveString(Map.of("Fn::GetAtt", List.of("DocumentsBucket", "Arn"))));
    }

    @Test
    void theKeyIsCreatedAndReferencedByIdAndArn() {
        String keyId = platform.stack().resolveString(Map.of("Ref", "DocumentsKey"));
        var metadata = platform.kms().describeKey(b -> b.keyId(keyId)).keyMetadata();
        assertEquals("Hosted documents and remote-content configurations", metadata.description());
        assertEquals("arn:aws:kms:" + LocalPlatform.REGION + ":" + LocalPlatform.ACCOUNT_ID + ":key/" + keyId,
                platform.stack().resolveString(Map.of("Fn::GetAtt", List.of("DocumentsKey", "Arn"))));
        assertEquals(metadata.arn(), platform.stack().resolveString(Map.of("Fn::GetAtt", List.of("DocumentsKey", "Arn"))));
        // The template's alias names the key; so does the platform's own, which finds it again after a restart.
        Map<String, String> aliases = platform.kms().listAliases(b -> { }).aliases().stream()
                .collect(Collectors.toMap(AliasListEntry::aliasName, AliasListEntry::targetKeyId));
        assertEquals(keyId, aliases.get("alias/io-local-documents"));
        assertEquals(keyId, aliases.get("alias/io-local/DocumentsKey"));
        assertEquals("alias/io-local-documents", platform.stack().resolveString(Map.of("Ref", "DocumentsKeyAlias")));
    }

    @Test
    void onlyEnabledExpirationRulesOnAPrefixCount() {
        assertEquals(List.of(
                        new BucketLifecycle.Rule("DocumentsBucket", "io-local-documentsbucket", "expire-uploads", "uploads/", 1),
                        new BucketLifecycle.Rule("DocumentsBucket", "io-local-documentsbucket", "expire-exports", "exports/", 7)),
                platform.bucketLifecycle().rules());
    }

    @Test
    void anObjectExpiresAtTheMidnightAfterItsDays() {
        var rule = platform.bucketLifecycle().rules().get(0);
        assertEquals(Instant.parse("2026-03-03T00:00:00Z"), rule.expiry(Instant.parse("2026-03-01T10:15:00Z")));
        assertEquals(Instant.parse("2026-03-02T00:00:00Z"), rule.expiry(Instant.parse("2026-03-01T00:00:00Z")));
    }

    @Test
    void theLifecycleRunDeletesWhatHasExpiredAsOfItsTime() throws Exception {
        String bucket = "io-local-documentsbucket";
        for (String key : List.of("uploads/draft.pdf", "exports/2026.csv", "kept/letter.pdf", "documents/notice.pdf")) {
            platform.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("content of " + key));
        }
        Instant now = Instant.now();

        assertEquals(0, runLifecycle(now).path("deleted").asInt());
        assertEquals(Set.of("uploads/draft.pdf", "exports/2026.csv", "kept/letter.pdf", "documents/notice.pdf"), keys(bucket));

        assertEquals(1, runLifecycle(now.plus(Duration.ofDays(2))).path("deleted").asInt());
        assertEquals(Set.of("exports/2026.csv", "kept/letter.pdf", "documents/notice.pdf"), keys(bucket));

        assertEquals(1, runLifecycle(now.plus(Duration.ofDays(9))).path("deleted").asInt());
        assertEquals(Set.of("kept/letter.pdf", "documents/notice.pdf"), keys(bucket), "disabled rules and other prefixes keep theirs");
    }

    @Test
    void theLifecycleRouteWantsAnInstant() throws Exception {
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiBaseUrl()
                + "/_local/s3/lifecycle/run?now=tomorrow")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("now"), bad.body());
    }

    @Test
    void withPersistKeysAndObjectsOutliveARestart(@TempDir Path state) throws Exception {
        String keyId;
        byte[] blob;
        try (LocalPlatform first = LocalPlatform.start(options(state, true))) {
            keyId = first.stack().resolveString(Map.of("Ref", "DocumentsKey"));
            blob = first.kms().encrypt(b -> b.keyId(keyId).plaintext(software.amazon.awssdk.core.SdkBytes.fromUtf8String("kept")))
                    .ciphertextBlob().asByteArray();
            first.s3().putObject(b -> b.bucket("io-local-exports").key("kept.txt"), RequestBody.fromString("still here"));
        }
        try (LocalPlatform second = LocalPlatform.start(options(state, true))) {
            assertEquals(keyId, second.stack().resolveString(Map.of("Ref", "DocumentsKey")), "the same key, found again");
            assertEquals("kept", second.kms().decrypt(b -> b.ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(blob)))
                    .plaintext().asUtf8String());
            assertEquals("still here", second.s3().getObjectAsBytes(b -> b.bucket("io-local-exports").key("kept.txt")).asUtf8String());
        }
    }

    private static JsonNode runLifecycle(Instant now) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiBaseUrl()
                + "/_local/s3/lifecycle/run?now=" + now)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body());
    }

    private static Set<String> keys(String bucket) {
        return platform.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).collect(Collectors.toSet());
    }
}
