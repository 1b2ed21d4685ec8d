package dev.ioserverless.documents;

import java.time.Instant;

/**
 * A document a service declared with {@code POST /api/v1/documents}: what it promised to upload,
 * and the message it went into once submitted.
 *
 * @param contentType the declared type, one of {@link MediaTypes#ACCEPTED}
 * @param uploadExpiresAt until when its upload URL works
 * @param messageId null until a message took it
 */
public record DocumentRecord(String id, String serviceId, String name, String contentType, long size,
                             Instant createdAt, Instant uploadExpiresAt, String messageId) {

    public boolean attached() {
        return messageId != null;
    }

    public dev.ioserverless.messages.HostedDocument asHosted() {
        return new dev.ioserverless.messages.HostedDocument(id, name, contentType, size);
    }
}
