package dev.ioserverless.push;

import java.util.List;
import java.util.Optional;

/** The citizens' installations (devices). */
public interface InstallationStore {

    /** Every installation of the citizen, in installation id order; empty when there is none. */
    List<Installation> findAll(String fiscalCode);

    Optional<Installation> find(String fiscalCode, String installationId);

    /** Creates or replaces the installation with this key. */
    void save(Installation installation);

    /** Deletes the installation; deleting one that does not exist is not an error. */
    void delete(InstallationKey key);

    /**
     * Deletes the installation only if it still is exactly as loaded (same endpoint and
     * {@code updatedAt}), so that a registration that happened meanwhile is kept.
     *
     * @return whether it was deleted
     */
    boolean deleteIfUnchanged(Installation installation);

    /**
     * The installations registered with this SNS endpoint. Normally at most one; more when a device
     * moved to another installation or citizen. May lag behind the latest writes by a moment.
     */
    List<InstallationKey> findByEndpoint(String endpointArn);

    /**
     * The installations with this id, whichever citizen registered them. Normally at most one.
     * May lag behind the latest writes by a moment.
     */
    List<InstallationKey> findByInstallationId(String installationId);
}
