package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ServiceTest {

    static Service withCidrs(String... cidrs) {
        return TestServices.service("s", EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(cidrs), 0);
    }

    @Test
    void noCidrsAllowsAnyAddress() {
        assertTrue(withCidrs().allowsSourceIp("203.0.113.9"));
        assertTrue(withCidrs().allowsSourceIp(null));
    }

    @Test
    void addressMustBeInOneOfTheCidrs() {
        Service service = withCidrs("192.0.2.0/24", "2001:db8::/32");
        assertTrue(service.allowsSourceIp("192.0.2.77"));
        assertTrue(service.allowsSourceIp("2001:db8::9"));
        assertFalse(service.allowsSourceIp("198.51.100.1"));
        assertFalse(service.allowsSourceIp(null));
        assertFalse(service.allowsSourceIp("garbage"));
    }

    @Test
    void malformedStoredEntriesAreIgnoredAndNeverOpenAccess() {
        assertTrue(withCidrs("bogus", "192.0.2.0/24").allowsSourceIp("192.0.2.1"));
        assertFalse(withCidrs("bogus").allowsSourceIp("192.0.2.1"));
    }

    @Test
    void malformedCidrsAreRejectedAtSaveTime() {
        Service service = withCidrs("192.0.2.0/24", "10.0.0.0/33");
        assertEquals(List.of("authorized_cidrs[1]: not an IPv4 or IPv6 CIDR: 10.0.0.0/33"), service.validate());
        InMemoryServiceStore store = new InMemoryServiceStore();
        assertThrows(IllegalArgumentException.class, () -> store.save(service));
        assertThrows(IllegalArgumentException.class, () -> new DynamoServiceStore(null, "s", "k").save(service));
    }

    @Test
    void otherRulesAreCheckedAtSaveTime() {
        Service bad = new Service(" ", "", "d", "o", "123", Set.of(), Set.of("nope"), List.of(), -1, 0);
        List<String> errors = bad.validate();
        assertEquals(List.of("service_id: required", "service_name: required",
                "organization_fiscal_code: must be 11 digits",
                "authorized_recipients: 1 entries are not valid fiscal codes",
                "max_allowed_payment_amount: must not be negative", "rate_limit: must be at least 1"), errors);
    }

    @Test
    void itemRoundTrips() {
        Service service = TestServices.service("svc-1",
                EnumSet.of(ServiceGroup.ApiLimitedMessageWrite, ServiceGroup.ApiMessageRead),
                Set.of("RSSMRA80A01H501U", "MRTMTT25D09F205Z"), List.of("192.0.2.0/24", "2001:db8::/32"), 150_00);
        Map<String, AttributeValue> item = DynamoServiceStore.toItem(service);
        assertEquals(List.of("ApiLimitedMessageWrite", "ApiMessageRead"),
                item.get("groups").l().stream().map(AttributeValue::s).toList());
        assertEquals("15000", item.get("max_allowed_payment_amount").n());
        assertEquals(service, DynamoServiceStore.fromItem(item));
    }

    @Test
    void itemWithUnknownGroupsAndNoLimitsReadsWithDefaults() {
        Map<String, AttributeValue> item = Map.of(
                "service_id", AttributeValue.builder().s("svc").build(),
                "groups", AttributeValue.builder().l(AttributeValue.builder().s("ApiMessageWrite").build(),
                        AttributeValue.builder().s("ApiSomethingNew").build()).build());
        Service service = DynamoServiceStore.fromItem(item);
        assertEquals(Set.of(ServiceGroup.ApiMessageWrite), service.groups());
        assertEquals(Service.DEFAULT_RATE_LIMIT, service.rateLimit());
        assertEquals(0, service.maxAllowedPaymentAmount());
    }
}
