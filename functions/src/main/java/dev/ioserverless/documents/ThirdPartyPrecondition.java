package dev.ioserverless.documents;

/**
 * What the citizen must accept before a third-party message opens (IO's {@code PreconditionContent}).
 *
 * @param title 1 to 1000 characters
 * @param markdown 1 to 100,000 characters
 */
public record ThirdPartyPrecondition(String title, String markdown) {
}
