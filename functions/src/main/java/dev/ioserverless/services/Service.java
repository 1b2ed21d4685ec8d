package dev.ioserverless.services;

import dev.ioserverless.common.FiscalCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A public body's service: who it is, what its subscription may do ({@link ServiceGroup}s), whom
 * it may write to and from where.
 *
 * @param authorizedRecipients fiscal codes a service with only {@link ServiceGroup#ApiLimitedMessageWrite}
 *     may write to
 * @param authorizedCidrs networks requests must come from; empty means any address
 * @param maxAllowedPaymentAmount the highest payment notice amount, in euro cents, the service may
 *     send; a notice above it is rejected (0, IO's default, means no payment notices at all)
 * @param rateLimit requests allowed per 5 seconds (IO's default is 150)
 */
public record Service(
        String serviceId,
        String serviceName,
        String departmentName,
        String organizationName,
        String organizationFiscalCode,
        Set<ServiceGroup> groups,
        Set<String> authorizedRecipients,
        List<String> authorizedCidrs,
        long maxAllowedPaymentAmount,
        int rateLimit) {

    public static final int DEFAULT_RATE_LIMIT = 150;
    public static final long DEFAULT_MAX_ALLOWED_PAYMENT_AMOUNT = 0;

    public Service {
        groups = groups == null || groups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groups));
        authorizedRecipients = authorizedRecipients == null ? Set.of() : Set.copyOf(authorizedRecipients);
        authorizedCidrs = authorizedCidrs == null ? List.of() : List.copyOf(authorizedCidrs);
    }

    public boolean hasGroup(ServiceGroup group) {
        return groups.contains(group);
    }

    public boolean isAuthorizedRecipient(String fiscalCode) {
        return authorizedRecipients.contains(fiscalCode);
    }

    /**
     * Whether a request from {@code sourceIp} may use this service's key. With no authorized
     * CIDRs every address may. Otherwise the address must lie in one of them; entries that are
     * not valid CIDRs (which {@link #validate} keeps out of the table) match nothing, so a list
     * of only malformed entries admits no one.
     */
    public boolean allowsSourceIp(String sourceIp) {
        if (authorizedCidrs.isEmpty()) {
            return true;
        }
        Optional<IpAddress> address = IpAddress.parse(sourceIp);
        if (address.isEmpty()) {
            return false;
        }
        for (String entry : authorizedCidrs) {
            Optional<Cidr> cidr = Cidr.parse(entry);
            if (cidr.isPresent() && cidr.get().contains(address.get())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reasons this service must not be saved; empty when it is valid. Checked by every store
     * before a write, so malformed CIDRs and fiscal codes never reach the table.
     */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (serviceId == null || serviceId.isBlank()) {
            errors.add("service_id: required");
        }
        if (serviceName == null || serviceName.isBlank()) {
            errors.add("service_name: required");
        }
        if (departmentName == null || departmentName.isBlank()) {
            errors.add("department_name: required");
        }
        if (organizationName == null || organizationName.isBlank()) {
            errors.add("organization_name: required");
        }
        if (!FiscalCode.isValidOrganization(organizationFiscalCode)) {
            errors.add("organization_fiscal_code: must be 11 digits");
        }
        Set<String> badRecipients = new LinkedHashSet<>();
        for (String recipient : authorizedRecipients) {
            if (!FiscalCode.isValid(recipient)) {
                badRecipients.add(recipient);
            }
        }
        if (!badRecipients.isEmpty()) {
            errors.add("authorized_recipients: " + badRecipients.size() + " entries are not valid fiscal codes");
        }
        for (int i = 0; i < authorizedCidrs.size(); i++) {
            if (Cidr.parse(authorizedCidrs.get(i)).isEmpty()) {
                errors.add("authorized_cidrs[" + i + "]: not an IPv4 or IPv6 CIDR: " + authorizedCidrs.get(i));
            }
        }
        if (maxAllowedPaymentAmount < 0) {
            errors.add("max_allowed_payment_amount: must not be negative");
        }
        if (rateLimit < 1) {
            errors.add("rate_limit: must be at least 1");
        }
        return errors;
    }

    /** Throws {@link IllegalArgumentException} listing every problem {@link #validate} finds. */
    public Service requireValid() {
        List<String> errors = validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid service: " + String.join("; ", errors));
        }
        return this;
    }
}
