package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ioserverless.local.sns.SnsEmulator;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The mobile-push calls the functions make (SnsPushEndpoints), made the same way against our SNS
 * endpoint and against moto_server, outcome by outcome, and each compared with what SNS answers.
 * Ours must give SNS's answer at every step; moto must too, except where it is known to be wrong
 * ({@link #MOTO_DIFFERS}, each written up in infra/SECOND-OPINIONS.md). Part of the moto profile.
 */
class SnsAgreementIT {
    private static MotoServer moto;
    private static SnsEmulator ours;

    /** What SNS answers at each step: "ok ..." with what matters of the result, or the error code. */
    static final Map<String, String> SNS = new LinkedHashMap<>();

    static {
        SNS.put("create endpoint", "ok");
        SNS.put("create it again, same attributes", "ok same endpoint");
        SNS.put("create it again, other attributes", "error InvalidParameter: already exists with the same Token");
        SNS.put("endpoint attributes", "ok Enabled=true Token=same");
        SNS.put("publish json with default and APNS", "ok");
        SNS.put("publish json without default", "error InvalidParameter");
        SNS.put("publish malformed json", "error InvalidParameter");
        SNS.put("publish with the APNs TTL attribute", "ok");
        SNS.put("disable it", "ok");
        SNS.put("publish to the disabled endpoint", "error EndpointDisabled");
        SNS.put("create it again while disabled", "error InvalidParameter: already exists with the same Token");
        SNS.put("re-enable it", "ok Enabled=true");
        SNS.put("delete it", "ok");
        SNS.put("delete it again", "ok");
        SNS.put("attributes of the deleted endpoint", "error NotFound");
        SNS.put("publish to the deleted endpoint", "error InvalidParameter");
    }

    /** Where moto_server 5.2 answers otherwise than SNS (see infra/SECOND-OPINIONS.md). */
    static final Map<String, String> MOTO_DIFFERS = Map.of(
            // moto does not validate a MessageStructure=json publish to a platform endpoint at all
            "publish json without default", "ok",
            "publish malformed json", "ok",
            // moto answers NotFound where SNS answers InvalidParameter ("No endpoint found for the target arn specified")
            "publish to the deleted endpoint", "error NotFound");

    @BeforeAll
    static void start() throws Exception {
        if (!MotoServer.onPath()) {
            return;   // the test reports itself skipped
        }
        moto = MotoServer.start();
        ours = new SnsEmulator(SqsClient.builder().region(Region.of(LocalPlatform.REGION))
                .endpointOverride(URI.create("http://127.0.0.1:9")).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build(),
                LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID);
        ours.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void ourSnsEndpointAnswersTheMobilePushCallsAsSnsDoesAndMotoIsComparedWithIt() {
        Assumptions.assumeTrue(moto != null, MotoServer.NOT_ON_PATH);
        Map<String, String> byOurs = scenario(ours.endpoint());
        Map<String, String> byMoto = scenario(moto.endpoint());
        StringBuilder table = new StringBuilder();
        SNS.forEach((step, sns) -> table.append(String.format("%-40s | SNS: %s | ours: %s | moto: %s%n",
                step, sns, byOurs.get(step), byMoto.get(step))));
        for (String step : SNS.keySet()) {
            assertEquals(SNS.get(step), byOurs.get(step), "ours, " + step + "\n" + table);
            assertEquals(MOTO_DIFFERS.getOrDefault(step, SNS.get(step)), byMoto.get(step), "moto, " + step + "\n" + table);
        }
    }

    private static Map<String, String> scenario(URI endpoint) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        try (SnsClient sns = SnsClient.builder().region(Region.of(LocalPlatform.REGION)).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            String application = sns.createPlatformApplication(b -> b.name("agreement-" + System.nanoTime()).platform("APNS")
                    .attributes(Map.of("PlatformCredential", "key", "PlatformPrincipal", "certificate")))
                    .platformApplicationArn();
            String token = "a1b2c3d4".repeat(8);
            String[] arn = new String[1];
            step(outcomes, "create endpoint", () -> {
                arn[0] = sns.createPlatformEndpoint(b -> b.platformApplicationArn(application).token(token)).endpointArn();
                return "ok";
            });
            step(outcomes, "create it again, same attributes", () -> {
                String again = sns.createPlatformEndpoint(b -> b.platformApplicationArn(application).token(token)).endpointArn();
                return again.equals(arn[0]) ? "ok same endpoint" : "ok another endpoint";
            });
            step(outcomes, "create it again, other attributes", () -> sns.createPlatformEndpoint(b -> b
                    .platformApplicationArn(application).token(token).customUserData("installation-2")).endpointArn());
            step(outcomes, "endpoint attributes", () -> {
                Map<String, String> attributes = sns.getEndpointAttributes(b -> b.endpointArn(arn[0])).attributes();
                return "ok Enabled=" + attributes.get("Enabled") + " Token=" + (token.equals(attributes.get("Token")) ? "same" : attributes.get("Token"));
            });
            String push = "{\"default\":\"Hai un nuovo messaggio\",\"APNS\":\"{\\\"aps\\\":{\\\"alert\\\":\\\"Hai un nuovo messaggio\\\"}}\"}";
            step(outcomes, "publish json with default and APNS", () -> publish(sns, arn[0], push, Map.of()));
            step(outcomes, "publish json without default", () -> publish(sns, arn[0],
                    "{\"APNS\":\"{\\\"aps\\\":{}}\"}", Map.of()));
            step(outcomes, "publish malformed json", () -> publish(sns, arn[0], "{\"default\":", Map.of()));
            step(outcomes, "publish with the APNs TTL attribute", () -> publish(sns, arn[0], push,
                    Map.of("AWS.SNS.MOBILE.APNS.TTL", MessageAttributeValue.builder().dataType("String").stringValue("3600").build())));
            step(outcomes, "disable it", () -> {
                sns.setEndpointAttributes(b -> b.endpointArn(arn[0]).attributes(Map.of("Enabled", "false")));
                return "ok";
            });
            step(outcomes, "publish to the disabled endpoint", () -> publish(sns, arn[0], push, Map.of()));
            step(outcomes, "create it again while disabled", () -> sns.createPlatformEndpoint(b -> b
                    .platformApplicationArn(application).token(token)).endpointArn());
            step(outcomes, "re-enable it", () -> {
                sns.setEndpointAttributes(b -> b.endpointArn(arn[0]).attributes(Map.of("Token", token, "Enabled", "true")));
                return "ok Enabled=" + sns.getEndpointAttributes(b -> b.endpointArn(arn[0])).attributes().get("Enabled");
            });
            step(outcomes, "delete it", () -> {
                sns.deleteEndpoint(b -> b.endpointArn(arn[0]));
                return "ok";
            });
            step(outcomes, "delete it again", () -> {
                sns.deleteEndpoint(b -> b.endpointArn(arn[0]));
                return "ok";
            });
            step(outcomes, "attributes of the deleted endpoint", () -> {
                sns.getEndpointAttributes(b -> b.endpointArn(arn[0]));
                return "ok";
            });
            step(outcomes, "publish to the deleted endpoint", () -> publish(sns, arn[0], push, Map.of()));
        }
        return outcomes;
    }

    private static String publish(SnsClient sns, String arn, String message, Map<String, MessageAttributeValue> attributes) {
        sns.publish(b -> b.targetArn(arn).messageStructure("json").message(message).messageAttributes(attributes));
        return "ok";
    }

    private static void step(Map<String, String> outcomes, String step, Supplier<String> call) {
        String outcome;
        try {
            outcome = call.get();
        } catch (SnsException e) {
            String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
            outcome = "error " + code + (message.contains("already exists with the same Token") ? ": already exists with the same Token" : "");
        }
        if (outcome.startsWith("arn:")) {
            outcome = "ok";
        }
        outcomes.put(step, outcome);
    }
}
