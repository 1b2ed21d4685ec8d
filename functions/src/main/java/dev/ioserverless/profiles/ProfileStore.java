package dev.ioserverless.profiles;

import java.util.Optional;

/** Citizens' profiles, by fiscal code. */
public interface ProfileStore {

    Optional<Profile> find(String fiscalCode);

    /** Creates or replaces a profile; throws {@link IllegalArgumentException} if it is not valid. */
    void save(Profile profile);

    /**
     * Writes {@code profile} only if the stored one is still at {@code expectedVersion} (or, when
     * {@code exists} is false, only if there is still none): an update that lost a race to another
     * one changes nothing.
     *
     * @throws StaleVersionException when the stored profile is not the one the update was made from
     */
    void replace(Profile profile, long expectedVersion, boolean exists);

    /**
     * Marks the profile's email validated, only if it is still exactly {@code email} (the address
     * a validation link was sent to). It is a new revision of the profile (version + 1), so an
     * update made from the version read before cannot write the old state back.
     *
     * @return false when there is no profile or its email is another one now
     */
    boolean markEmailValidated(String fiscalCode, String email, java.time.Instant now);

    /** The stored profile changed since it was read. */
    final class StaleVersionException extends RuntimeException {
        public StaleVersionException() {
            super("the profile changed since it was read");
        }
    }
}
