package dev.ioserverless.documents;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The document types the platform accepts, PDF, PNG and JPEG, recognised by their first bytes
 * (their signatures), never by a name or a declared header alone.
 */
public final class MediaTypes {
    public static final String PDF = "application/pdf";
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final Set<String> ACCEPTED = Set.of(PDF, PNG, JPEG);
    /** How many leading bytes {@link #detect} needs at most. */
    public static final int SIGNATURE_BYTES = 8;

    private static final byte[] PDF_SIGNATURE = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private MediaTypes() {
    }

    /** The type the bytes start with, if one of {@link #ACCEPTED}. */
    public static Optional<String> detect(byte[] head) {
        if (startsWith(head, PDF_SIGNATURE)) {
            return Optional.of(PDF);
        }
        if (startsWith(head, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, JPEG_SIGNATURE)) {
            return Optional.of(JPEG);
        }
        return Optional.empty();
    }

    /** A declared Content-Type reduced to its type and subtype, lower case ({@code Application/PDF; x=y} is {@code application/pdf}). */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes == null || bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
