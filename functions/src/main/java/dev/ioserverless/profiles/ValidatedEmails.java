package dev.ioserverless.profiles;

import java.util.Optional;

/**
 * Which citizen holds each validated email address: one holder per address, whatever its case.
 * The store keys an address by a keyed hash of its canonical form, never the address itself.
 */
public interface ValidatedEmails {

    /** No address validated by anyone, and nothing kept: for handlers wired without the table. */
    ValidatedEmails NONE = new ValidatedEmails() {
        @Override
        public Optional<String> holder(String email) {
            return Optional.empty();
        }

        @Override
        public boolean claim(String email, String fiscalCode) {
            return true;
        }

        @Override
        public void release(String email, String fiscalCode) {
        }
    };

    /** The fiscal code of the citizen who validated {@code email}, if anyone did. */
    Optional<String> holder(String email);

    /**
     * Claims {@code email} for {@code fiscalCode}: a conditional write that succeeds when nobody
     * holds it or this citizen already does.
     *
     * @return false when another citizen holds it
     */
    boolean claim(String email, String fiscalCode);

    /** Releases {@code email} if {@code fiscalCode} holds it; nothing otherwise. */
    void release(String email, String fiscalCode);
}
