package dev.ioserverless.documents;

import java.time.Instant;

/** Where a citizen stands with a message's ONCE precondition. */
public interface Preconditions {

    /** The citizen was shown the precondition (the first time is kept). */
    void shown(String messageId, Instant at);

    /**
     * The citizen opened the message: if they were shown its precondition and had not accepted it
     * yet, that is the acceptance, recorded at {@code at}.
     *
     * @return whether this call recorded the acceptance
     */
    boolean acceptIfShown(String messageId, Instant at);
}
