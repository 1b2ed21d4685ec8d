package dev.ioserverless.documents;

import java.util.List;
import java.util.Optional;

/** The remote-content configurations, by id and by the service that owns them. */
public interface ConfigurationStore {

    /** Stores a new configuration (its id is new). */
    void create(RemoteContentConfiguration configuration);

    /**
     * Replaces a live configuration of its service with {@code configuration} (same id and owner).
     *
     * @return false when there is no such live configuration of that service
     */
    boolean replace(RemoteContentConfiguration configuration);

    /** Marks a live configuration of {@code serviceId} retired; false when there is none. */
    boolean retire(String serviceId, String id, java.time.Instant at);

    Optional<RemoteContentConfiguration> find(String id);

    /** The service's live configurations, oldest first. */
    List<RemoteContentConfiguration> ofService(String serviceId);
}
