package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The fault specification, and what each kind of fault does to a real SDK call. */
class FaultInjectionTest {
    HttpServer aws;
    final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        aws.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        aws.start();
    }

    @AfterEach
    void stop() {
        aws.stop(0);
    }

    DynamoDbClient client(String faults) {
        Map<String, String> values = new HashMap<>();
        values.put("AWS_REGION", "eu-south-1");
        values.put("AWS_ACCESS_KEY_ID", "test");
        values.put("AWS_SECRET_ACCESS_KEY", "test");
        values.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + aws.getAddress().getPort());
        values.put(FaultInjection.VARIABLE, faults);
        values.put(FaultInjection.SEED_VARIABLE, "7");
        return AwsClients.dynamoDb(Config.of(values));
    }

    void getItem(DynamoDbClient dynamo) {
        dynamo.getItem(b -> b.tableName("t").key(Map.of("id", DynamoAttributes.s("x"))));
    }

    @Test
    void parsesServicesOperationsRatesAndKinds() {
        List<FaultInjection.Rule> rules = FaultInjection.parse("dynamodb=0.1, sqs.SendMessage=0.5:ambiguous+timeout,sns=1");
        assertEquals(3, rules.size());
        assertEquals(new FaultInjection.Rule("dynamodb", null, 0.1, EnumSet.allOf(FaultInjection.Kind.class)), rules.get(0));
        assertEquals(new FaultInjection.Rule("sqs", "SendMessage", 0.5,
                EnumSet.of(FaultInjection.Kind.AMBIGUOUS, FaultInjection.Kind.TIMEOUT)), rules.get(1));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultInjection.parse("s3=0.1")).getMessage().contains("s3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultInjection.parse("sqs=2")).getMessage().contains("between 0 and 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultInjection.parse("sqs=0.1:slow")).getMessage().contains("slow"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultInjection.parse("sqs")).getMessage().contains("<rate>"));
    }

    DynamoDbClient client(FaultInjection faults, int attempts) {
        return DynamoDbClient.builder()
                .region(software.amazon.awssdk.regions.Region.EU_SOUTH_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + aws.getAddress().getPort()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(faults).retryStrategy(
                        software.amazon.awssdk.retries.StandardRetryStrategy.builder().maxAttempts(attempts)
                                .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
                                .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
                                .circuitBreakerEnabled(false).build()))
                .build();
    }

    @Test
    void throttlingAndErrorsAreRefusedBeforeTheyAreServedAndTheSdkRetriesThem() {
        FaultInjection faults = new FaultInjection(FaultInjection.parse("dynamodb=0.3:throttle+error"), 3);
        DynamoDbClient dynamo = client(faults, 10);
        for (int i = 0; i < 20; i++) {
            getItem(dynamo);
        }
        assertEquals(20, served.get(), "each call served once, however many attempts it took");
        assertTrue(faults.injected(FaultInjection.Kind.THROTTLE) > 0);
        assertTrue(faults.injected(FaultInjection.Kind.ERROR) > 0);
    }

    @Test
    void aTimeoutBeforeSendingNeverReachesTheService() {
        FaultInjection faults = new FaultInjection(FaultInjection.parse("dynamodb=0.3:timeout"), 3);
        DynamoDbClient dynamo = client(faults, 10);
        for (int i = 0; i < 20; i++) {
            getItem(dynamo);
        }
        assertEquals(20, served.get());
        assertTrue(faults.injected(FaultInjection.Kind.TIMEOUT) > 0);
    }

    @Test
    void aThrottledCallIsTransientAndWasNotServed() {
        DynamoDbClient dynamo = client(new FaultInjection(FaultInjection.parse("dynamodb=1:throttle"), 1), 2);
        SdkException e = assertThrows(SdkException.class, () -> getItem(dynamo));
        assertEquals(2, e.numAttempts());
        assertEquals(0, served.get());
        assertTrue(Failures.isTransientAws(e));
        assertFalse(Failures.mayHaveBeenServed(e));
    }

    @Test
    void anAmbiguousFailureIsServedThenLost() {
        DynamoDbClient dynamo = client(new FaultInjection(FaultInjection.parse("dynamodb.GetItem=1:ambiguous"), 1), 3);
        SdkException e = assertThrows(SdkException.class, () -> getItem(dynamo));
        assertEquals(e.numAttempts(), served.get(), "every attempt was carried out");
        assertTrue(served.get() >= 1);
        assertTrue(Failures.mayHaveBeenServed(e));
    }

    @Test
    void anotherOperationIsLeftAlone() {
        DynamoDbClient dynamo = client("dynamodb.PutItem=1");
        getItem(dynamo);
        assertEquals(1, served.get());
    }

    @Test
    void withoutTheVariableThereIsNoInterceptor() {
        assertEquals(null, FaultInjection.fromConfig(Config.of(Map.of())));
    }
}
