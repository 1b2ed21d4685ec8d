package dev.ioserverless.documents;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The documents bucket: uploads under {@code uploads/<id>} (expired by a lifecycle rule when no
 * message takes them), kept documents under {@code documents/<id>}.
 */
public interface DocumentBucket {

    /** What the bucket holds under a key: its length, its Content-Type, and its first bytes. */
    record Stored(long size, String contentType, byte[] head) {
    }

    /** A presigned PUT of the upload of {@code id}, bound to exactly this type and length. */
    URI uploadUrl(String id, String contentType, long size, Duration validity);

    /** The upload of {@code id}, if it was made (and has not expired). */
    Optional<Stored> upload(String id);

    /** Whether the kept document {@code id} is there. */
    boolean kept(String id);

    /** Moves the upload of {@code id} to the kept documents (copy, then the upload removed). */
    void keep(String id);

    /** The kept document's bytes. */
    byte[] read(String id);

    /** A presigned GET of the kept document, answered with {@code contentType} and as an attachment named {@code name}. */
    URI downloadUrl(String id, String contentType, String name, Duration validity);
}
