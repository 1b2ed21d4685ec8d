package dev.ioserverless.profiles;

import java.util.Optional;

/** Citizens' profiles, by fiscal code. */
public interface ProfileStore {

    Optional<Profile> find(String fiscalCode);

    /** Creates or replaces a profile; throws {@link IllegalArgumentException} if it is not valid. */
    void save(Profile profile);
}
