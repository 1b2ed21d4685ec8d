package dev.ioserverless.documents;

import java.time.Instant;
import java.util.Optional;

/** The declared documents, by id. */
public interface DocumentStore {

    void create(DocumentRecord document);

    Optional<DocumentRecord> find(String id);

    /**
     * Records that {@code messageId} took the document; true also when it already had.
     *
     * @return false when another message took it first
     */
    boolean attach(String id, String messageId, Instant at);
}
