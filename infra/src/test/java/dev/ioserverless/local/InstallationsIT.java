package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.Installation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/** The app registers its devices on the citizen API; each gets an SNS platform endpoint that pushes reach. */
class InstallationsIT {
    private static final OpenApiContract SPEC = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));

    static HttpResponse<String> put(String token, String installationId, String body) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(URI.create(
                        TestPlatform.get().citizenApiBaseUrl() + "/installations/" + installationId))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        SPEC.assertConforms(response);
        return response;
    }

    static String deviceToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    static Installation installation(String fiscalCode, String installationId) {
        LocalPlatform platform = TestPlatform.get();
        return new DynamoInstallationStore(platform.dynamoDb(), platform.physicalName("InstallationsTable"))
                .find(fiscalCode, installationId).orElseThrow();
    }

    static Map<String, String> endpoint(String arn) {
        return TestPlatform.get().sns().getEndpointAttributes(b -> b.endpointArn(arn)).attributes();
    }

    @Test
    void aRegisteredDeviceHasAnEnabledEndpointWithItsToken() {
        String citizen = TestData.citizen();
        String device = deviceToken();
        String id = "phone-" + UUID.randomUUID();
        HttpResponse<String> response = put(CitizenApiIT.token(citizen), id,
                "{\"platform\":\"apns\",\"pushChannel\":\"" + device + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Json.read("{\"message\":\"ok\"}"), Json.read(response.body()));
        Map<String, String> attributes = endpoint(installation(citizen, id).endpointArn());
        assertEquals(device, attributes.get("Token"));
        assertEquals("true", attributes.get("Enabled"));
    }

    @Test
    void aNewTokenMovesTheInstallationToItsEndpointAndADisabledEndpointIsEnabledAgain() {
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String id = "phone-" + UUID.randomUUID();
        String first = deviceToken();
        put(token, id, "{\"platform\":\"fcmv1\",\"pushChannel\":\"" + first + "\"}");
        Installation before = installation(citizen, id);
        assertEquals(Map.of("Token", first, "Enabled", "true"), Map.of("Token", endpoint(before.endpointArn()).get("Token"),
                "Enabled", endpoint(before.endpointArn()).get("Enabled")));

        String second = deviceToken();
        put(token, id, "{\"platform\":\"fcmv1\",\"pushChannel\":\"" + second + "\"}");
        Installation after = installation(citizen, id);
        assertEquals(second, endpoint(after.endpointArn()).get("Token"));
        assertNotEquals(before.endpointArn(), after.endpointArn());
        assertThrows(NotFoundException.class, () -> endpoint(before.endpointArn()), "the old token's endpoint is gone");

        // SNS disables an endpoint the push service refused; the app registering the token again revives it.
        TestPlatform.get().sns().setEndpointAttributes(b -> b.endpointArn(after.endpointArn()).attributes(Map.of("Enabled", "false")));
        put(token, id, "{\"platform\":\"fcmv1\",\"pushChannel\":\"" + second + "\"}");
        assertEquals("true", endpoint(installation(citizen, id).endpointArn()).get("Enabled"));
        assertEquals(after.endpointArn(), installation(citizen, id).endpointArn(), "the same endpoint, enabled again");
    }

    @Test
    void aCitizenMayHaveSeveralDevicesAndEachGetsThePush() {
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String phone = deviceToken();
        String tablet = deviceToken();
        put(token, "phone-" + UUID.randomUUID(), "{\"platform\":\"apns\",\"pushChannel\":\"" + phone + "\"}");
        put(token, "tablet-" + UUID.randomUUID(), "{\"platform\":\"gcm\",\"pushChannel\":\"" + tablet + "\"}");
        String key = TestPlatform.demoJson().path("api_key").asText();
        String id = Json.read(TestData.post(key, "/api/v1/messages/" + citizen, TestData.newMessage()).body()).path("id").asText();
        // Each platform wraps the push in its own payload; the message id is in both.
        TestPlatform.await(() -> PushNotificationIT.deliveries(phone).size() == 1
                && PushNotificationIT.deliveries(tablet).size() == 1, Duration.ofSeconds(10), "both devices pushed");
        assertEquals("APNS", PushNotificationIT.deliveries(phone).get(0).path("platform").asText());
        assertEquals("GCM", PushNotificationIT.deliveries(tablet).get(0).path("platform").asText());
        assertTrue(PushNotificationIT.deliveries(phone).get(0).toString().contains(id));
        assertTrue(PushNotificationIT.deliveries(tablet).get(0).toString().contains(id));
    }

    @Test
    void anInstallationIsTheCitizensOwnAndAnotherCitizenCannotTakeItOver() {
        String owner = TestData.citizen();
        String other = TestData.citizen();
        String id = "shared-id-" + UUID.randomUUID();
        String ownerDevice = deviceToken();
        assertEquals(200, put(CitizenApiIT.token(owner), id, "{\"platform\":\"apns\",\"pushChannel\":\"" + ownerDevice + "\"}")
                .statusCode());
        AuthorizationIT.assertProblem(put(CitizenApiIT.token(other), id,
                "{\"platform\":\"apns\",\"pushChannel\":\"" + deviceToken() + "\"}"), 409, "installationID");
        assertEquals(ownerDevice, installation(owner, id).pushChannel(), "the other citizen's registration left it alone");
        assertEquals(ownerDevice, endpoint(installation(owner, id).endpointArn()).get("Token"));

        // The same phone, where the other citizen signs in: its own token moves the installation to them.
        assertEquals(200, put(CitizenApiIT.token(other), id, "{\"platform\":\"apns\",\"pushChannel\":\"" + ownerDevice + "\"}")
                .statusCode());
        LocalPlatform platform = TestPlatform.get();
        assertTrue(new DynamoInstallationStore(platform.dynamoDb(), platform.physicalName("InstallationsTable"))
                .find(owner, id).isEmpty(), "the previous citizen no longer gets pushes on that phone");
        assertEquals(ownerDevice, installation(other, id).pushChannel());
    }

    @Test
    void badInstallationsAre400NamingTheFieldAndWriteNothing() {
        String token = CitizenApiIT.token(TestData.citizen());
        AuthorizationIT.assertProblem(put(token, "phone-1", "{\"platform\":\"windows\",\"pushChannel\":\"abc\"}"), 400, "platform");
        AuthorizationIT.assertProblem(put(token, "phone-1", "{\"platform\":\"apns\"}"), 400, "push_channel");
        AuthorizationIT.assertProblem(put(token, "phone-1", "{\"platform\":\"apns\",\"pushChannel\":\"has space\"}"), 400, "push_channel");
        assertTrue(put(token, "bad%20id", "{\"platform\":\"apns\",\"pushChannel\":\"abc\"}").statusCode() == 400);
    }
}
