package dev.ioserverless.documents;

/**
 * An attachment's bytes and the type read from them.
 *
 * @param bytes the body exactly as the server sent it; the array is the caller's, not copied
 * @param contentType {@code application/pdf}, {@code image/png} or {@code image/jpeg}, detected
 *     from the first bytes and agreeing with what the server declared
 */
public record AttachmentContent(byte[] bytes, String contentType) {
}
