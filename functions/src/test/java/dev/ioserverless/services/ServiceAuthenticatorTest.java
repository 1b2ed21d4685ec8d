package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ioserverless.common.ProblemException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAuthenticatorTest {
    final InMemoryServiceStore store = new InMemoryServiceStore();
    final ServiceAuthenticator authenticator = new ServiceAuthenticator(store);

    ServiceAuthenticatorTest() {
        store.save(TestServices.tari(), "primary-key", "secondary-key");
        store.save(TestServices.service("restricted", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(),
                List.of("192.0.2.0/24"), 0), "restricted-key", null);
    }

    ProblemException failure(Optional<String> key, String ip) {
        return assertThrows(ProblemException.class, () -> authenticator.authenticate(key, ip));
    }

    @Test
    void bothKeysAuthenticateTheService() {
        assertEquals(TestServices.SERVICE_ID, authenticator.authenticate(Optional.of("primary-key"), "1.1.1.1").serviceId());
        assertEquals(TestServices.SERVICE_ID, authenticator.authenticate(Optional.of("secondary-key"), "1.1.1.1").serviceId());
    }

    @Test
    void missingOrBlankKeyIs401() {
        assertEquals(401, failure(Optional.empty(), "1.1.1.1").problem().status());
        ProblemException blank = failure(Optional.of("  "), "1.1.1.1");
        assertEquals(401, blank.problem().status());
        assertEquals("Ocp-Apim-Subscription-Key: required", blank.problem().detail());
    }

    @Test
    void unknownKeyIs401() {
        ProblemException e = failure(Optional.of("wrong-key"), "1.1.1.1");
        assertEquals(401, e.problem().status());
        assertEquals("Ocp-Apim-Subscription-Key: unknown key", e.problem().detail());
    }

    @Test
    void requestFromOutsideTheCidrsIs403() {
        assertEquals("restricted", authenticator.authenticate(Optional.of("restricted-key"), "192.0.2.5").serviceId());
        ProblemException e = failure(Optional.of("restricted-key"), "198.51.100.5");
        assertEquals(403, e.problem().status());
        assertEquals("source IP: not within the service's authorized_cidrs", e.problem().detail());
    }

    @Test
    void missingGroupIs403() {
        ProblemException e = assertThrows(ProblemException.class, () -> ServiceAuthenticator.requireAnyGroup(
                TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiMessageRead),
                ServiceGroup.ApiMessageWrite, ServiceGroup.ApiLimitedMessageWrite));
        assertEquals(403, e.problem().status());
        assertEquals("service: requires group ApiMessageWrite or ApiLimitedMessageWrite", e.problem().detail());
    }
}
