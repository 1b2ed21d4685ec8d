package dev.ioserverless.services;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Services for tests. */
public final class TestServices {
    public static final String SERVICE_ID = "01HSERVICE0000000000000001";
    public static final String ORGANIZATION_FISCAL_CODE = "01199250158";

    private TestServices() {
    }

    /** A municipality's TARI service that may write to anyone, with payee, advanced and read rights. */
    public static Service tari() {
        return service(SERVICE_ID, EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteWithPayee,
                ServiceGroup.ApiMessageWriteAdvanced, ServiceGroup.ApiMessageRead), Set.of(), List.of(), 100_000);
    }

    public static Service service(
            String id, Set<ServiceGroup> groups, Set<String> recipients, List<String> cidrs, long maxPayment) {
        return new Service(id, "Tassa rifiuti (TARI)", "Servizi tributari", "Comune di Milano",
                ORGANIZATION_FISCAL_CODE, groups, recipients, cidrs, maxPayment, Service.DEFAULT_RATE_LIMIT);
    }

    public static Service withGroups(Service service, ServiceGroup... groups) {
        return new Service(service.serviceId(), service.serviceName(), service.departmentName(),
                service.organizationName(), service.organizationFiscalCode(),
                groups.length == 0 ? Set.of() : EnumSet.of(groups[0], groups), service.authorizedRecipients(),
                service.authorizedCidrs(), service.maxAllowedPaymentAmount(), service.rateLimit());
    }
}
