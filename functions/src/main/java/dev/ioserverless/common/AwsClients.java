package dev.ioserverless.common;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * AWS clients, built once per container and shared by every handler that asks with the same
 * region and endpoint. Region comes from {@code AWS_REGION}; an endpoint override from
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_SNS},
 * {@code AWS_ENDPOINT_URL_SSM}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_KMS}, {@code AWS_ENDPOINT_URL_SESV2} or {@code AWS_ENDPOINT_URL}, the names the SDK itself uses. Credentials come from the SDK's
 * default chain, as Lambda provides them (access-key variables, or the container credentials
 * endpoint that SnapStart functions get); only a configuration that names keys itself (the local
 * platform's in-process mode) gets static ones. A configuration with {@code IO_FAULTS} (chaos tests,
 * the local platform's {@code --faults}) gets clients that inject faults ({@link FaultInjection}).
 */
public final class AwsClients {
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Config config) {
        return cached(config, "DYNAMODB", () -> configure(DynamoDbClient.builder(), config, "DYNAMODB").build());
    }

    /**
     * An SNS client for publishes that must reach a phone at most once (mobile push): the SDK
     * retries what the service refused (throttling, a 5xx) or a connection never made, never a
     * call whose answer was lost, since SNS may have delivered it. Such a failure reaches the
     * caller, which counts the push as made ({@link Failures#mayHaveBeenServed}).
     */
    public static SnsClient snsAtMostOnce(Config config) {
        return cached(config, "SNS-AT-MOST-ONCE", () -> {
            var builder = configure(SnsClient.builder(), config, "SNS");
            ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                    .apiCallTimeout(API_CALL_TIMEOUT)
                    .retryStrategy(software.amazon.awssdk.retries.StandardRetryStrategy.builder()
                            .useClientDefaults(false)
                            .maxAttempts(3)
                            .retryOnException(e -> Failures.isTransientAws(e) && !Failures.mayHaveBeenServed(e))
                            .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(50), Duration.ofSeconds(1)))
                            .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(200), Duration.ofSeconds(2)))
                            .circuitBreakerEnabled(false)
                            .build());
            FaultInjection faults = FaultInjection.fromConfig(config);
            if (faults != null) {
                override.addExecutionInterceptor(faults);
            }
            return builder.overrideConfiguration(override.build()).build();
        });
    }

    public static SqsClient sqs(Config config) {
        return cached(config, "SQS", () -> configure(SqsClient.builder(), config, "SQS").build());
    }

    public static SnsClient sns(Config config) {
        return cached(config, "SNS", () -> configure(SnsClient.builder(), config, "SNS").build());
    }

    public static SsmClient ssm(Config config) {
        return cached(config, "SSM", () -> configure(SsmClient.builder(), config, "SSM").build());
    }

    public static KmsClient kms(Config config) {
        return cached(config, "KMS", () -> configure(KmsClient.builder(), config, "KMS").build());
    }

    /** SESv2, the email notifications' and the email validation's sender. */
    public static SesV2Client sesV2(Config config) {
        return cached(config, "SESV2", () -> configure(SesV2Client.builder(), config, "SESV2").build());
    }

    /** S3, path-style where an endpoint override serves it (the local store answers no bucket host names). */
    public static S3Client s3(Config config) {
        return cached(config, "S3", () -> {
            var builder = configure(S3Client.builder(), config, "S3").forcePathStyle(!endpoint(config, "S3").isEmpty());
            // The SDK reads this variable from the process environment; a configuration given in process says it here.
            config.find("AWS_REQUEST_CHECKSUM_CALCULATION")
                    .filter("when_required"::equalsIgnoreCase)
                    .ifPresent(v -> builder.requestChecksumCalculation(
                            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED));
            return builder.build();
        });
    }

    /**
     * The presigner of S3 URLs, with the same region, endpoint and credentials as {@link #s3}.
     * The URLs it makes are handed to clients outside the platform (a body's upload, a citizen's
     * download), so the endpoint is the one they reach.
     */
    public static S3Presigner s3Presigner(Config config) {
        return cached(config, "S3-PRESIGNER", () -> {
            S3Presigner.Builder builder = S3Presigner.builder().region(Region.of(region(config)))
                    .credentialsProvider(credentials(config))
                    .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(!endpoint(config, "S3").isEmpty()).build());
            String endpoint = endpoint(config, "S3");
            if (!endpoint.isEmpty()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            return builder.build();
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T cached(Config config, String service, Supplier<T> factory) {
        String key = service + "|" + region(config) + "|" + endpoint(config, service) + "|"
                + config.get(FaultInjection.VARIABLE, "") + "|" + config.get(FaultInjection.SEED_VARIABLE, "");
        return (T) CACHE.computeIfAbsent(key, k -> factory.get());
    }

    private static String region(Config config) {
        return config.get("AWS_REGION", config.get("AWS_DEFAULT_REGION", "eu-south-1"));
    }

    private static String endpoint(Config config, String service) {
        service = service.startsWith("SNS") ? "SNS" : service.startsWith("S3") ? "S3" : service;
        return config.find("AWS_ENDPOINT_URL_" + service).orElse(config.get("AWS_ENDPOINT_URL", ""));
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Config config, String service) {
        builder.region(Region.of(region(config)));
        builder.httpClient(httpClient());
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder().apiCallTimeout(API_CALL_TIMEOUT);
        FaultInjection faults = FaultInjection.fromConfig(config);
        if (faults != null) {
            override.addExecutionInterceptor(faults);   // chaos tests and --faults only: see FaultInjection
        }
        builder.overrideConfiguration(override.build());
        String endpoint = endpoint(config, service);
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.credentialsProvider(credentials(config));
        return builder;
    }

    private static AwsCredentialsProvider credentials(Config config) {
        var key = config.find("AWS_ACCESS_KEY_ID");
        var secret = config.find("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            // Lambda's own credentials: the access-key variables of an on-demand function, or the
            // container credentials endpoint a SnapStart function gets after restore.
            return LambdaCredentials.INSTANCE;
        }
        var token = config.find("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token.isPresent()
                ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
                : AwsBasicCredentials.create(key.get(), secret.get()));
    }

    /** One provider, with one cache, for every client of the container. */
    private static final class LambdaCredentials {
        static final AwsCredentialsProvider INSTANCE = DefaultCredentialsProvider.builder().build();
    }

    /** One HTTP client for every SDK client of the container (url-connection: see BENCHMARKS.md). */
    private static SdkHttpClient httpClient() {
        return SharedHttpClient.INSTANCE;
    }

    private static final class SharedHttpClient {
        static final SdkHttpClient INSTANCE = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
