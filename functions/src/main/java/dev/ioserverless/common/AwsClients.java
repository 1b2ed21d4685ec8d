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
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * AWS clients, built once per container and shared by every handler that asks with the same
 * region and endpoint. Region comes from {@code AWS_REGION}; an endpoint override from
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_SNS},
 * {@code AWS_ENDPOINT_URL_SSM} or {@code AWS_ENDPOINT_URL}, the names the SDK itself uses. Credentials come from the SDK's
 * default chain, as Lambda provides them (access-key variables, or the container credentials
 * endpoint that SnapStart functions get); only a configuration that names keys itself (the local
 * platform's in-process mode) gets static ones.
 */
public final class AwsClients {
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Config config) {
        return cached(config, "DYNAMODB", () -> configure(DynamoDbClient.builder(), config, "DYNAMODB").build());
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

    @SuppressWarnings("unchecked")
    private static <T> T cached(Config config, String service, Supplier<T> factory) {
        String key = service + "|" + region(config) + "|" + endpoint(config, service);
        return (T) CACHE.computeIfAbsent(key, k -> factory.get());
    }

    private static String region(Config config) {
        return config.get("AWS_REGION", config.get("AWS_DEFAULT_REGION", "eu-south-1"));
    }

    private static String endpoint(Config config, String service) {
        return config.find("AWS_ENDPOINT_URL_" + service).orElse(config.get("AWS_ENDPOINT_URL", ""));
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Config config, String service) {
        builder.region(Region.of(region(config)));
        builder.httpClient(httpClient());
        builder.overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(API_CALL_TIMEOUT).build());
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
