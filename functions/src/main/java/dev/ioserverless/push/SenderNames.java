package dev.ioserverless.push;

import java.util.Optional;

/** The name a notification may show for the sending service, e.g. "Comune di Milano - TARI". */
@FunctionalInterface
public interface SenderNames {

    /** Never names any service: notifications stay generic. */
    SenderNames NONE = serviceId -> Optional.empty();

    Optional<String> nameOf(String serviceId);
}
