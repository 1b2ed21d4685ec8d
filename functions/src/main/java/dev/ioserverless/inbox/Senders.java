package dev.ioserverless.inbox;

import java.util.Collection;
import java.util.Map;

/** The names of the services that send messages, as the citizen's list and message show them. */
public interface Senders {

    /** The services among {@code serviceIds} that exist, by id. */
    Map<String, Sender> find(Collection<String> serviceIds);

    /** IO's enrichment of a message with its sender. */
    record Sender(String serviceName, String organizationName, String organizationFiscalCode) {
        /**
         * For a message whose service is no longer in the catalogue: the id stands for the names,
         * so the list still shows every message.
         */
        public static Sender unknown(String serviceId) {
            return new Sender(serviceId, serviceId, "");
        }
    }
}
