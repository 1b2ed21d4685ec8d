package dev.ioserverless.documents;

/**
 * One attachment a body's server lists in a third-party message's details, as IO's
 * {@code ThirdPartyAttachment}.
 *
 * @param id the body's id of the attachment, 1 to 1000 characters
 * @param url the path of the attachment, relative to {@code /messages/{id}/}, 1 to 1000 characters
 * @param contentType the type the body declares, 1 to 255 characters, or null
 * @param name the file name the body declares, 1 to 255 characters, or null
 * @param category the category, {@code [A-Z0-9_]{2,30}}; {@code DOCUMENT} when the body gave none or an invalid one
 */
public record ThirdPartyAttachment(String id, String url, String contentType, String name, String category) {
    /** The category when the body's server gives none (or one that does not match the pattern). */
    public static final String DEFAULT_CATEGORY = "DOCUMENT";
}
