package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Endpoint;
import software.amazon.awssdk.services.sns.model.EndpointDisabledException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PlatformApplication;
import software.amazon.awssdk.services.sns.model.PlatformApplicationDisabledException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Mobile push (platform applications, endpoints, Publish to an endpoint) driven by the real SNS SDK client. */
class SnsMobilePushTest {

    private static final Region REGION = Region.EU_SOUTH_1;
    private static final String ACCOUNT = "000000000000";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static SqsClient unusedSqs;
    private static SnsEmulator emulator;
    private static SnsClient sns;

    @BeforeAll
    static void start() throws IOException {
        // Mobile push never delivers to SQS; the client only satisfies the constructor.
        unusedSqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(REGION).credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        emulator = new SnsEmulator(unusedSqs, REGION.id(), ACCOUNT);
        emulator.start("127.0.0.1", 0);
        sns = SnsClient.builder().endpointOverride(emulator.endpoint())
                .region(REGION).credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (sns != null) {
            sns.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (unusedSqs != null) {
            unusedSqs.close();
        }
    }

    // ---- platform applications --------------------------------------------------------------

    @Test
    void platformApplicationsAreIdempotentByNameAndHideCredentials() {
        String name = unique("io.app");
        String arn = sns.createPlatformApplication(r -> r.name(name).platform("GCM")
                .attributes(Map.of("PlatformCredential", "server-key-secret"))).platformApplicationArn();
        assertEquals("arn:aws:sns:eu-south-1:000000000000:app/GCM/" + name, arn);
        assertEquals(arn, sns.createPlatformApplication(r -> r.name(name).platform("GCM")
                .attributes(Map.of("PlatformCredential", "server-key-secret"))).platformApplicationArn());
        assertEquals(arn, emulator.createPlatformApplication(name, "GCM", Map.of()),
                "the programmatic API sees the same application");
        String apnsArn = emulator.createPlatformApplication(name, "APNS", null);
        assertEquals("arn:aws:sns:eu-south-1:000000000000:app/APNS/" + name, apnsArn);

        PlatformApplication listed = listApplications().stream()
                .filter(a -> a.platformApplicationArn().equals(arn)).findFirst().orElseThrow();
        assertEquals("true", listed.attributes().get("Enabled"));
        assertFalse(listed.attributes().containsKey("PlatformCredential"), "credentials are never returned");
        Map<String, String> attributes = sns.getPlatformApplicationAttributes(r -> r.platformApplicationArn(arn))
                .attributes();
        assertEquals("true", attributes.get("Enabled"));
        assertFalse(attributes.containsKey("PlatformCredential"));

        sns.deletePlatformApplication(r -> r.platformApplicationArn(arn));
        sns.deletePlatformApplication(r -> r.platformApplicationArn(arn));
        assertTrue(listApplications().stream().noneMatch(a -> a.platformApplicationArn().equals(arn)));
        assertThrows(NotFoundException.class,
                () -> sns.getPlatformApplicationAttributes(r -> r.platformApplicationArn(arn)));
    }

    @Test
    void rejectsBadPlatformApplications() {
        assertThrows(InvalidParameterException.class,
                () -> sns.createPlatformApplication(r -> r.name(unique("x")).platform("WNS").attributes(Map.of())));
        assertThrows(InvalidParameterException.class,
                () -> sns.createPlatformApplication(r -> r.name("bad name").platform("GCM").attributes(Map.of())));
        assertThrows(InvalidParameterException.class,
                () -> sns.createPlatformEndpoint(r -> r.platformApplicationArn("not-an-arn").token("t")));
        assertThrows(NotFoundException.class, () -> sns.createPlatformEndpoint(r -> r
                .platformApplicationArn("arn:aws:sns:eu-south-1:000000000000:app/GCM/" + unique("missing")).token("t")));
    }

    // ---- endpoints --------------------------------------------------------------------------

    @Test
    void endpointLifecycleThroughTheSdk() {
        String app = emulator.createPlatformApplication(unique("io"), "GCM", Map.of());
        String token = unique("fcm-token");
        String arn = sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token)
                .customUserData("installation-1")).endpointArn();
        String appName = app.substring(app.lastIndexOf('/') + 1);
        assertTrue(arn.matches("arn:aws:sns:eu-south-1:000000000000:endpoint/GCM/" + appName.replace(".", "\\.")
                + "/" + UUID_PATTERN), arn);

        Map<String, String> attributes = sns.getEndpointAttributes(r -> r.endpointArn(arn)).attributes();
        assertEquals(Map.of("Token", token, "Enabled", "true", "CustomUserData", "installation-1"), attributes);

        List<Endpoint> listed = sns.listEndpointsByPlatformApplication(r -> r.platformApplicationArn(app)).endpoints();
        assertEquals(1, listed.size());
        assertEquals(arn, listed.get(0).endpointArn());
        assertEquals(token, listed.get(0).attributes().get("Token"));

        String newToken = unique("fcm-token");
        sns.setEndpointAttributes(r -> r.endpointArn(arn).attributes(Map.of("Token", newToken,
                "CustomUserData", "installation-2")));
        attributes = sns.getEndpointAttributes(r -> r.endpointArn(arn)).attributes();
        assertEquals(newToken, attributes.get("Token"));
        assertEquals("installation-2", attributes.get("CustomUserData"));
        assertThrows(InvalidParameterException.class, () -> sns.setEndpointAttributes(r -> r.endpointArn(arn)
                .attributes(Map.of("Enabled", "maybe"))));
        assertThrows(InvalidParameterException.class, () -> sns.setEndpointAttributes(r -> r.endpointArn(arn)
                .attributes(Map.of("Colour", "blue"))));

        sns.deleteEndpoint(r -> r.endpointArn(arn));
        sns.deleteEndpoint(r -> r.endpointArn(arn));
        assertThrows(NotFoundException.class, () -> sns.getEndpointAttributes(r -> r.endpointArn(arn)));
        assertThrows(NotFoundException.class, () -> sns.setEndpointAttributes(r -> r.endpointArn(arn)
                .attributes(Map.of("Enabled", "true"))));
        assertTrue(sns.listEndpointsByPlatformApplication(r -> r.platformApplicationArn(app)).endpoints().isEmpty());
    }

    @Test
    void createPlatformEndpointIsIdempotentForTheSameTokenAndAttributes() {
        String app = emulator.createPlatformApplication(unique("io"), "APNS", Map.of());
        String token = unique("apns");
        String arn = sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token)).endpointArn();
        assertEquals(arn, sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token)).endpointArn());
        assertEquals(arn, sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token)
                .attributes(Map.of("Enabled", "true"))).endpointArn(), "Enabled=true is the default");

        InvalidParameterException conflict = assertThrows(InvalidParameterException.class,
                () -> sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token).customUserData("x")));
        assertEquals("Invalid parameter: Token Reason: Endpoint " + arn
                + " already exists with the same Token, but different attributes.",
                conflict.awsErrorDetails().errorMessage());
        assertEquals(1, sns.listEndpointsByPlatformApplication(r -> r.platformApplicationArn(app)).endpoints().size());

        String other = emulator.createPlatformApplication(unique("io"), "APNS", Map.of());
        assertNotEquals(arn, sns.createPlatformEndpoint(r -> r.platformApplicationArn(other).token(token))
                .endpointArn(), "another application gets its own endpoint for the same token");
    }

    // ---- publishing -------------------------------------------------------------------------

    @Test
    void publishToAnEndpointRecordsTheDeliveryWithThePlatformsPayload() {
        String token = unique("device");
        String apns = endpoint(emulator.createPlatformApplication(unique("io"), "APNS", Map.of()), token + "-a");
        String sandbox = endpoint(emulator.createPlatformApplication(unique("io"), "APNS_SANDBOX", Map.of()),
                token + "-s");
        String gcm = endpoint(emulator.createPlatformApplication(unique("io"), "GCM", Map.of()), token + "-g");
        String structured = "{\"default\":\"You have a new message\","
                + "\"APNS\":\"{\\\"aps\\\":{\\\"alert\\\":\\\"prod\\\"}}\","
                + "\"APNS_SANDBOX\":\"{\\\"aps\\\":{\\\"alert\\\":\\\"sandbox\\\"}}\","
                + "\"GCM\":\"{\\\"fcmV1Message\\\":{\\\"message\\\":{\\\"data\\\":{\\\"k\\\":\\\"v\\\"}}}}\"}";

        String apnsId = sns.publish(r -> r.targetArn(apns).messageStructure("json").message(structured)).messageId();
        sns.publish(r -> r.targetArn(sandbox).messageStructure("json").message(structured));
        sns.publish(r -> r.targetArn(gcm).messageStructure("json").message(structured));

        List<SnsEmulator.PushDelivery> apnsDeliveries = emulator.pushDeliveries(token + "-a");
        assertEquals(1, apnsDeliveries.size());
        SnsEmulator.PushDelivery delivery = apnsDeliveries.get(0);
        assertEquals(apnsId, delivery.messageId());
        assertEquals(apns, delivery.endpointArn());
        assertEquals("APNS", delivery.platform());
        assertEquals(token + "-a", delivery.token());
        assertEquals("{\"aps\":{\"alert\":\"prod\"}}", delivery.payload());
        assertEquals("{\"aps\":{\"alert\":\"sandbox\"}}", emulator.pushDeliveries(token + "-s").get(0).payload());
        assertEquals("APNS_SANDBOX", emulator.pushDeliveries(token + "-s").get(0).platform());
        assertEquals("{\"fcmV1Message\":{\"message\":{\"data\":{\"k\":\"v\"}}}}",
                emulator.pushDeliveries(token + "-g").get(0).payload());
        assertEquals("GCM", emulator.pushDeliveries(token + "-g").get(0).platform());
    }

    @Test
    void plainMessagesAndMissingPlatformEntriesDeliverTheDefault() {
        String token = unique("device");
        String gcm = endpoint(emulator.createPlatformApplication(unique("io"), "GCM", Map.of()), token);
        sns.publish(r -> r.targetArn(gcm).message("first"));
        sns.publish(r -> r.targetArn(gcm).messageStructure("json")
                .message("{\"default\":\"second\",\"APNS\":\"{\\\"aps\\\":{}}\"}"));
        sns.publish(r -> r.targetArn(gcm).message("third").messageAttributes(Map.of(
                "AWS.SNS.MOBILE.FCM.TTL", MessageAttributeValue.builder().dataType("String").stringValue("3600").build())));
        List<SnsEmulator.PushDelivery> deliveries = emulator.pushDeliveries(token);
        assertEquals(List.of("first", "second", "third"), deliveries.stream().map(SnsEmulator.PushDelivery::payload)
                .toList(), "oldest first");
        assertFalse(deliveries.get(0).deliveredAt().isAfter(deliveries.get(2).deliveredAt()));
        assertTrue(emulator.pushDeliveries(unique("nobody")).isEmpty());
    }

    @Test
    void publishingToADisabledEndpointIsEndpointDisabled() {
        String app = emulator.createPlatformApplication(unique("io"), "GCM", Map.of());
        String token = unique("dead-token");
        String arn = endpoint(app, token);
        sns.publish(r -> r.targetArn(arn).message("before"));

        emulator.disableEndpointsWithToken(token);
        assertEquals("false", sns.getEndpointAttributes(r -> r.endpointArn(arn)).attributes().get("Enabled"));
        EndpointDisabledException disabled = assertThrows(EndpointDisabledException.class,
                () -> sns.publish(r -> r.targetArn(arn).message("after")));
        assertEquals(400, disabled.statusCode());
        assertEquals("EndpointDisabled", disabled.awsErrorDetails().errorCode());
        assertEquals(1, emulator.pushDeliveries(token).size(), "nothing is delivered to a disabled endpoint");

        // The endpoint's attributes changed, so creating it again is the "different attributes" error,
        // and SetEndpointAttributes re-enables it (the token management flow AWS recommends).
        assertThrows(InvalidParameterException.class,
                () -> sns.createPlatformEndpoint(r -> r.platformApplicationArn(app).token(token)));
        sns.setEndpointAttributes(r -> r.endpointArn(arn).attributes(Map.of("Enabled", "true")));
        sns.publish(r -> r.targetArn(arn).message("again"));
        assertEquals(List.of("before", "again"),
                emulator.pushDeliveries(token).stream().map(SnsEmulator.PushDelivery::payload).toList());
    }

    /** The test hook: SNS failing, or throttling, the publishes to one device while the others go through. */
    @Test
    void aFaultForOneTokenFailsItsPublishesUntilItIsLifted() {
        String app = emulator.createPlatformApplication(unique("io"), "APNS", Map.of());
        String broken = unique("broken-token");
        String fine = unique("fine-token");
        String brokenArn = endpoint(app, broken);
        String fineArn = endpoint(app, fine);
        emulator.failPublishesTo(broken, "InternalError");
        software.amazon.awssdk.services.sns.model.SnsException failed = assertThrows(
                software.amazon.awssdk.services.sns.model.SnsException.class,
                () -> sns.publish(r -> r.targetArn(brokenArn).message("lost")));
        assertEquals(500, failed.statusCode());
        sns.publish(r -> r.targetArn(fineArn).message("through"));
        emulator.failPublishesTo(broken, "Throttled");
        assertThrows(software.amazon.awssdk.services.sns.model.ThrottledException.class,
                () -> sns.publish(r -> r.targetArn(brokenArn).message("throttled")));
        emulator.stopFailingPublishesTo(broken);
        sns.publish(r -> r.targetArn(brokenArn).message("later"));
        assertEquals(List.of("later"), emulator.pushDeliveries(broken).stream().map(SnsEmulator.PushDelivery::payload).toList());
        assertEquals(List.of("through"), emulator.pushDeliveries(fine).stream().map(SnsEmulator.PushDelivery::payload).toList());
        assertThrows(IllegalArgumentException.class, () -> emulator.failPublishesTo(broken, "Gremlins"));
    }

    @Test
    void publishingToADeletedEndpointFailsAsSnsDoes() {
        String app = emulator.createPlatformApplication(unique("io"), "APNS", Map.of());
        String arn = endpoint(app, unique("token"));
        sns.deleteEndpoint(r -> r.endpointArn(arn));
        // SNS answers a publish to a deleted endpoint with InvalidParameter, not NotFound.
        InvalidParameterException gone = assertThrows(InvalidParameterException.class,
                () -> sns.publish(r -> r.targetArn(arn).message("x")));
        assertEquals("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
                gone.awsErrorDetails().errorMessage());
        assertEquals(400, gone.statusCode());
    }

    @Test
    void deletingAnApplicationDeletesItsEndpoints() {
        String app = emulator.createPlatformApplication(unique("io"), "GCM", Map.of());
        String arn = endpoint(app, unique("token"));
        sns.deletePlatformApplication(r -> r.platformApplicationArn(app));
        assertThrows(NotFoundException.class, () -> sns.getEndpointAttributes(r -> r.endpointArn(arn)));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn).message("x")));
        assertThrows(NotFoundException.class,
                () -> sns.listEndpointsByPlatformApplication(r -> r.platformApplicationArn(app)));
    }

    @Test
    void aDisabledApplicationRefusesPublishes() {
        String app = emulator.createPlatformApplication(unique("io"), "GCM", Map.of());
        String token = unique("token");
        String arn = endpoint(app, token);
        sns.setPlatformApplicationAttributes(r -> r.platformApplicationArn(app).attributes(Map.of("Enabled", "false")));
        PlatformApplicationDisabledException disabled = assertThrows(PlatformApplicationDisabledException.class,
                () -> sns.publish(r -> r.targetArn(arn).message("x")));
        assertEquals("PlatformApplicationDisabled", disabled.awsErrorDetails().errorCode());
        assertTrue(emulator.pushDeliveries(token).isEmpty());
    }

    @Test
    void endpointPublishValidatesTheMessage() {
        String token = unique("token");
        String arn = endpoint(emulator.createPlatformApplication(unique("io"), "APNS", Map.of()), token);
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn).message("")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn)
                .messageStructure("json").message("{\"APNS\":\"{}\"}")), "json needs a default entry");
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn)
                .messageStructure("json").message("not json")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn)
                .messageStructure("json").message("{\"default\":\"d\",\"APNS\":\"not json\"}")),
                "the platform entry is what the provider gets, so it must be a JSON object");
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn)
                .message("a".repeat(256 * 1024 + 1))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.targetArn(arn + "-not-an-arn")
                .message("x")));
        assertTrue(emulator.pushDeliveries(token).isEmpty());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String endpoint(String applicationArn, String token) {
        return sns.createPlatformEndpoint(r -> r.platformApplicationArn(applicationArn).token(token)).endpointArn();
    }

    private static List<PlatformApplication> listApplications() {
        return sns.listPlatformApplicationsPaginator(r -> { }).platformApplications().stream().toList();
    }
}
