package dev.ioserverless.local.bench;

import dev.ioserverless.local.emulators.DynamoDbLocal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cold start of a function's first DynamoDB call with each synchronous SDK HTTP client: every run
 * is a fresh JVM (as a new Lambda container is), timed from JVM start to client built and to the
 * first GetItem answered by DynamoDB Local.
 *
 * <pre>java -cp infra/target/io-local.jar dev.ioserverless.local.bench.HttpClientColdStart [runs]</pre>
 */
public final class HttpClientColdStart {
    private static final List<String> CLIENTS = List.of("url-connection", "apache");

    private HttpClientColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--probe")) {
            probe(args[1], URI.create(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (DynamoDbLocal dynamo = DynamoDbLocal.start("127.0.0.1", 0, null)) {
            try (DynamoDbClient setup = client(UrlConnectionHttpClient.create(), dynamo.endpoint())) {
                setup.createTable(b -> b.tableName("bench").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                        .keySchema(k -> k.attributeName("pk").keyType("HASH")));
                setup.putItem(b -> b.tableName("bench").item(Map.of("pk", AttributeValue.fromS("k"))));
            }
            System.out.printf("%-15s %6s %14s %14s %14s%n", "client", "runs", "built p50 ms", "first p50 ms", "first p90 ms");
            for (String client : CLIENTS) {
                List<Long> built = new ArrayList<>();
                List<Long> first = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long[] result = runProbe(client, dynamo.endpoint());
                    built.add(result[0]);
                    first.add(result[1]);
                }
                System.out.printf("%-15s %6d %14d %14d %14d%n", client, runs,
                        percentile(built, 50), percentile(first, 50), percentile(first, 90));
            }
        }
    }

    private static long[] runProbe(String client, URI endpoint) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HttpClientColdStart.class.getName(),
                "--probe", client, endpoint.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        if (process.waitFor() != 0 || line == null) {
            throw new IllegalStateException("probe " + client + " failed");
        }
        String[] parts = line.trim().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** In the child JVM: prints "millis-to-client-built millis-to-first-response" since JVM start. */
    private static void probe(String client, URI endpoint) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        SdkHttpClient http = client.equals("apache") ? ApacheHttpClient.create() : UrlConnectionHttpClient.create();
        DynamoDbClient dynamo = client(http, endpoint);
        long built = System.currentTimeMillis() - jvmStart;
        dynamo.getItem(b -> b.tableName("bench").key(Map.of("pk", AttributeValue.fromS("k"))));
        long first = System.currentTimeMillis() - jvmStart;
        System.out.println(built + " " + first);
        dynamo.close();
    }

    private static DynamoDbClient client(SdkHttpClient http, URI endpoint) {
        return DynamoDbClient.builder()
                .region(Region.EU_SOUTH_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(http)
                .endpointOverride(endpoint)
                .build();
    }

    private static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
