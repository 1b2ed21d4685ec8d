package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.local.runtime.ContainerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The platform's S3 (S3Proxy) through the unchanged SDK: objects in and out, and presigned PUTs
 * held to exactly the type, size and time they were signed for, for the platform's identity and
 * for the one container functions get.
 */
class S3StoreIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] PDF = "%PDF-1.7 a small document".getBytes(StandardCharsets.US_ASCII);
    private static String bucket;

    @BeforeAll
    static void createBucket() {
        bucket = "s3store-it-" + UUID.randomUUID().toString().substring(0, 8);
        TestPlatform.get().s3().createBucket(b -> b.bucket(bucket));
    }

    @Test
    void putGetHeadListAndDelete() {
        S3Client s3 = TestPlatform.get().s3();
        s3.putObject(b -> b.bucket(bucket).key("docs/a.pdf").contentType("application/pdf"), RequestBody.fromBytes(PDF));
        s3.putObject(b -> b.bucket(bucket).key("docs/b.txt").contentType("text/plain"),
                RequestBody.fromString("hello"));

        var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key("docs/a.pdf"));
        assertArrayEquals(PDF, object.asByteArray());
        assertEquals("application/pdf", object.response().contentType());
        var head = s3.headObject(b -> b.bucket(bucket).key("docs/b.txt"));
        assertEquals(5L, head.contentLength());
        assertEquals("text/plain", head.contentType());
        assertEquals(java.util.List.of("docs/a.pdf", "docs/b.txt"),
                s3.listObjectsV2(b -> b.bucket(bucket).prefix("docs/")).contents().stream().map(S3Object::key).toList());

        s3.deleteObject(b -> b.bucket(bucket).key("docs/b.txt"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("docs/b.txt")));
    }

    @Test
    void theContainerIdentityReachesTheSameObjects() {
        try (S3Client container = client(AwsSessionCredentials.create(ContainerRuntime.ACCESS_KEY,
                ContainerRuntime.SECRET_KEY, "localsession"))) {
            container.putObject(b -> b.bucket(bucket).key("from-container.txt"), RequestBody.fromString("written by a function"));
        }
        assertEquals("written by a function",
                TestPlatform.get().s3().getObjectAsBytes(b -> b.bucket(bucket).key("from-container.txt")).asUtf8String());
    }

    @Test
    void aWrongSecretOrAnUnknownIdentityIsRefused() {
        try (S3Client wrongSecret = client(AwsBasicCredentials.create("local", "not-the-secret"));
             S3Client stranger = client(AwsBasicCredentials.create("someone", "local"))) {
            assertEquals(403, assertThrows(S3Exception.class, () -> wrongSecret.listObjectsV2(b -> b.bucket(bucket))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class, () -> stranger.listObjectsV2(b -> b.bucket(bucket))).statusCode());
        }
    }

    @Test
    void aPresignedPutTakesExactlyTheTypeAndSizeItWasSignedFor() throws Exception {
        for (AwsCredentials identity : new AwsCredentials[] {
                AwsBasicCredentials.create("local", "local"),
                AwsSessionCredentials.create(ContainerRuntime.ACCESS_KEY, ContainerRuntime.SECRET_KEY, "localsession")}) {
            String key = "uploads/" + UUID.randomUUID() + ".pdf";
            URI url = presignPut(identity, key, "application/pdf", PDF.length);

            assertEquals(403, put(url, "image/png", PDF).statusCode(), "another type");
            byte[] longer = new byte[PDF.length + 1];
            System.arraycopy(PDF, 0, longer, 0, PDF.length);
            assertEquals(403, put(url, "application/pdf", longer).statusCode(), "another size");
            assertFalse(exists(key), "nothing written by a refused upload");

            HttpResponse<String> accepted = put(url, "application/pdf", PDF);
            assertEquals(200, accepted.statusCode(), accepted.body());
            var stored = TestPlatform.get().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key));
            assertArrayEquals(PDF, stored.asByteArray());
            assertEquals("application/pdf", stored.response().contentType());
        }
    }

    @Test
    void anExpiredPresignedPutIsRefused() throws Exception {
        String key = "uploads/" + UUID.randomUUID() + ".pdf";
        AwsCredentials local = AwsBasicCredentials.create("local", "local");
        // The same signer the presigner uses, its clock an hour back: a URL valid for 15 minutes, long expired.
        URI expired = presignWithClock(local, key, Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));
        HttpResponse<String> refused = put(expired, "application/pdf", PDF);
        assertEquals(403, refused.statusCode(), refused.body());
        assertFalse(exists(key));
        // Signed now, the same request is accepted: what was refused is the time alone.
        URI fresh = presignWithClock(local, key, Clock.systemUTC());
        assertEquals(200, put(fresh, "application/pdf", PDF).statusCode());
        assertTrue(exists(key));
    }

    @Test
    void noWebPageIsAllowedCrossOriginAccess() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(TestPlatform.get().s3Endpoint() + "/"
                        + bucket + "/uploads/x.pdf")).timeout(Duration.ofSeconds(30))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://example.org").header("Access-Control-Request-Method", "PUT").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), preflight.headers().toString());
    }

    private static URI presignPut(AwsCredentials identity, String key, String contentType, long length) {
        try (S3Presigner presigner = S3Presigner.builder()
                .region(Region.of(LocalPlatform.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(identity))
                .endpointOverride(TestPlatform.get().s3Endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            return URI.create(presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(length)))
                    .url().toString());
        }
    }

    private static URI presignWithClock(AwsCredentials identity, String key, Clock clock) {
        URI endpoint = TestPlatform.get().s3Endpoint();
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create(endpoint + "/" + bucket + "/" + key))
                .putHeader("Content-Type", "application/pdf")
                .putHeader("Content-Length", String.valueOf(PDF.length))
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, LocalPlatform.REGION)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(15))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().getUri();
    }

    private static HttpResponse<String> put(URI url, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean exists(String key) {
        try {
            TestPlatform.get().s3().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static S3Client client(AwsCredentials identity) {
        return S3Client.builder().region(Region.of(LocalPlatform.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(identity))
                .endpointOverride(TestPlatform.get().s3Endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
