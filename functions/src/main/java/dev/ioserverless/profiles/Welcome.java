package dev.ioserverless.profiles;

/**
 * What happens when a citizen first accepts the terms of service: the platform's welcome messages
 * reach their inbox. Implementations make it happen once per citizen, however often they are
 * called, so the profile update calls it after the accepting write and again when that update is
 * retried, to finish a call that failed half-way.
 */
public interface Welcome {
    void ensureSent(Profile profile);

    /** For profiles whose welcome is none of this function's business. */
    Welcome NONE = profile -> { };
}
