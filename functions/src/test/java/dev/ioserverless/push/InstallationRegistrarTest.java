package dev.ioserverless.push;

import static dev.ioserverless.push.PushFixture.FISCAL_CODE;
import static dev.ioserverless.push.PushFixture.OTHER_FISCAL_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.ProblemException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstallationRegistrarTest {
    final PushFixture f = new PushFixture();

    @Test
    void registersANewDeviceWithItsOwnEndpoint() {
        String token = PushFixture.token();
        Installation installation = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);

        assertEquals(FISCAL_CODE, installation.fiscalCode());
        assertEquals("phone-1", installation.installationId());
        assertEquals(Platform.APNS, installation.platform());
        assertEquals(token, installation.pushChannel());
        assertEquals(f.clock.instant(), installation.createdAt());
        assertEquals(installation.createdAt(), installation.updatedAt());
        FakePushEndpoints.Endpoint endpoint = f.endpoints.endpoint(installation.endpointArn());
        assertEquals(token, endpoint.token());
        assertEquals(Platform.APNS, endpoint.platform());
        assertTrue(endpoint.enabled());
        assertEquals(List.of(installation), f.installations.findAll(FISCAL_CODE));
    }

    @Test
    void registeringAgainWithTheSameTokenKeepsTheEndpoint() {
        String token = PushFixture.token();
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);
        f.clock.advance(Duration.ofDays(1));
        f.endpoints.calls.clear();

        Installation again = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);

        assertEquals(first.endpointArn(), again.endpointArn());
        assertEquals(first.createdAt(), again.createdAt());
        assertEquals(f.clock.instant(), again.updatedAt());
        assertEquals(List.of("describe"), f.endpoints.calls, "nothing to change in SNS");
    }

    @Test
    void registeringAgainReEnablesAnEndpointSnsDisabled() {
        String token = PushFixture.token();
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);
        f.endpoints.disable(first.endpointArn());

        Installation again = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);

        assertEquals(first.endpointArn(), again.endpointArn());
        assertTrue(f.endpoints.endpoint(first.endpointArn()).enabled());
    }

    @Test
    void aNewTokenGetsANewEndpointAndTheOldOneIsDeleted() {
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "apns", PushFixture.token());
        String newToken = PushFixture.token();

        Installation again = f.registrar.register(FISCAL_CODE, "phone-1", "apns", newToken);

        assertNotEquals(first.endpointArn(), again.endpointArn());
        assertEquals(newToken, f.endpoints.endpoint(again.endpointArn()).token());
        assertFalse(f.endpoints.exists(first.endpointArn()));
        assertEquals(List.of(again), f.installations.findAll(FISCAL_CODE));
    }

    @Test
    void aNewPlatformGetsAnEndpointUnderItsApplication() {
        String token = PushFixture.token();
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);

        Installation again = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);

        assertEquals(Platform.FCM, again.platform());
        assertEquals(Platform.FCM, f.endpoints.endpoint(again.endpointArn()).platform());
        assertFalse(f.endpoints.exists(first.endpointArn()));
    }

    @Test
    void anEndpointDeletedInSnsIsCreatedAgain() {
        String token = PushFixture.token();
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);
        f.endpoints.delete(first.endpointArn());

        Installation again = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);

        assertNotEquals(first.endpointArn(), again.endpointArn());
        assertTrue(f.endpoints.exists(again.endpointArn()));
    }

    @Test
    void aTokenMovingToAnotherInstallationOrCitizenLeavesItsPreviousOwner() {
        String token = PushFixture.token();
        Installation previous = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);
        f.clock.advance(Duration.ofHours(1));

        // Another citizen signs in on the same phone: same token, so SNS gives the same endpoint.
        Installation current = f.registrar.register(OTHER_FISCAL_CODE, "phone-2", "apns", token);

        assertEquals(previous.endpointArn(), current.endpointArn());
        assertEquals(List.of(), f.installations.findAll(FISCAL_CODE),
                "the previous citizen's messages must not reach this phone any more");
        assertEquals(List.of(current), f.installations.findAll(OTHER_FISCAL_CODE));
        assertTrue(f.endpoints.exists(current.endpointArn()));
    }

    @Test
    void anotherCitizensInstallationIdIsRefusedAndNothingChanges() {
        String ownerToken = PushFixture.token();
        Installation owners = f.registrar.register(FISCAL_CODE, "phone-1", "apns", ownerToken);
        f.endpoints.calls.clear();

        ProblemException refused = assertThrows(ProblemException.class,
                () -> f.registrar.register(OTHER_FISCAL_CODE, "phone-1", "apns", PushFixture.token()));
        assertEquals(409, refused.problem().status());
        assertTrue(refused.problem().detail().startsWith("installationID:"), refused.problem().detail());
        assertEquals(List.of(), f.endpoints.calls, "no endpoint created");
        assertEquals(List.of(owners), f.installations.findAll(FISCAL_CODE));
        assertEquals(List.of(), f.installations.findAll(OTHER_FISCAL_CODE));
    }

    @Test
    void theSameInstallationWithItsOwnTokenMovesToTheCitizenWhoSignsInOnThePhone() {
        String token = PushFixture.token();
        Installation first = f.registrar.register(FISCAL_CODE, "phone-1", "apns", token);

        Installation moved = f.registrar.register(OTHER_FISCAL_CODE, "phone-1", "apns", token);

        assertEquals(first.endpointArn(), moved.endpointArn());
        assertEquals(List.of(), f.installations.findAll(FISCAL_CODE), "the previous citizen no longer gets pushes there");
        assertEquals(List.of(moved), f.installations.findAll(OTHER_FISCAL_CODE));
    }

    @Test
    void theIoAppsPlatformNamesAreFirebaseOrApple() {
        assertEquals(java.util.Optional.of(Platform.FCM), Platform.fromValue("gcm"));
        assertEquals(java.util.Optional.of(Platform.FCM), Platform.fromValue("fcmv1"));
        assertEquals(java.util.Optional.of(Platform.FCM), Platform.fromValue("fcm"));
        assertEquals(java.util.Optional.of(Platform.APNS), Platform.fromValue("apns"));
        assertEquals(java.util.Optional.empty(), Platform.fromValue("APNS"));
    }

    @Test
    void invalidInputIsA400NamingEveryFieldAndWritesNothing() {
        ProblemException problem = assertThrows(ProblemException.class,
                () -> f.registrar.register("not-a-fiscal-code", "bad id!", "windows", "has spaces in it"));
        assertEquals(400, problem.problem().status());
        String detail = problem.problem().detail();
        assertTrue(detail.contains("fiscal_code:"), detail);
        assertTrue(detail.contains("installation_id:"), detail);
        assertTrue(detail.contains("platform: must be one of apns, gcm, fcmv1"), detail);
        assertTrue(detail.contains("push_channel:"), detail);
        assertFalse(detail.contains("has spaces in it"), "the token is never echoed");

        assertThrows(ProblemException.class, () -> f.registrar.register(FISCAL_CODE, "phone", "apns", ""));
        assertThrows(ProblemException.class, () -> f.registrar.register(FISCAL_CODE, "phone", "apns", null));
        assertThrows(ProblemException.class, () -> f.registrar.register(FISCAL_CODE, "phone", "APNS", "t"));
        assertThrows(ProblemException.class,
                () -> f.registrar.register(FISCAL_CODE, "p".repeat(129), "apns", "t"));
        assertThrows(ProblemException.class,
                () -> f.registrar.register(FISCAL_CODE, "phone", "apns", "t".repeat(4097)));
        assertEquals(List.of(), f.endpoints.calls);
        assertEquals(List.of(), f.installations.calls);
    }

    @Test
    void unregisteringDeletesTheInstallationAndItsEndpoint() {
        Installation installation = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", PushFixture.token());

        assertTrue(f.registrar.unregister(FISCAL_CODE, "phone-1"));

        assertEquals(List.of(), f.installations.findAll(FISCAL_CODE));
        assertFalse(f.endpoints.exists(installation.endpointArn()));
        assertFalse(f.registrar.unregister(FISCAL_CODE, "phone-1"), "nothing left to unregister");
    }

    @Test
    void installationsNeverPrintTheirTokenOrFiscalCode() {
        String token = PushFixture.token();
        Installation installation = f.registrar.register(FISCAL_CODE, "phone-1", "fcm", token);
        assertFalse(installation.toString().contains(token));
        assertFalse(installation.toString().contains(FISCAL_CODE));
        assertFalse(installation.key().toString().contains(FISCAL_CODE));
        assertFalse(new PushEndpoints.EndpointState(token, true).toString().contains(token));
    }
}
