package dev.ioserverless.services;

import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who is calling the Services API: the service whose key is in {@value #API_KEY_HEADER}, checked
 * against the service's authorized CIDRs. An absent or unknown key is a 401; a request from
 * outside the authorized networks, or a service lacking a required group, a 403.
 */
public final class ServiceAuthenticator {
    public static final String API_KEY_HEADER = "Ocp-Apim-Subscription-Key";

    private final ServiceStore services;

    public ServiceAuthenticator(ServiceStore services) {
        this.services = services;
    }

    /** {@link #identify} then {@link #requireAuthorizedSource}. */
    public Service authenticate(Optional<String> apiKey, String sourceIp) {
        Service service = identify(apiKey);
        requireAuthorizedSource(service, sourceIp);
        return service;
    }

    /** The service whose primary or secondary key this is; a 401 when the key is absent or unknown. */
    public Service identify(Optional<String> apiKey) {
        String key = apiKey.map(String::strip).orElse("");
        if (key.isEmpty()) {
            throw new ProblemException(Problem.unauthorized(API_KEY_HEADER + ": required"));
        }
        return services.findByApiKeyHash(Hashing.sha256Hex(key))
                .orElseThrow(() -> new ProblemException(Problem.unauthorized(API_KEY_HEADER + ": unknown key")));
    }

    /** A 403 unless {@code sourceIp} lies in the service's authorized CIDRs (any address when it has none). */
    public static void requireAuthorizedSource(Service service, String sourceIp) {
        if (!service.allowsSourceIp(sourceIp)) {
            throw new ProblemException(Problem.forbidden(
                    "source IP: not within the service's authorized_cidrs"));
        }
    }

    /** A 403 unless the service is in at least one of {@code groups}. */
    public static void requireAnyGroup(Service service, ServiceGroup... groups) {
        for (ServiceGroup group : groups) {
            if (service.hasGroup(group)) {
                return;
            }
        }
        String names = Arrays.stream(groups).map(Enum::name).collect(Collectors.joining(" or "));
        throw new ProblemException(Problem.forbidden("service: requires group " + names));
    }
}
