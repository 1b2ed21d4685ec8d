package dev.ioserverless.common;

/**
 * An RFC 7807 problem, the body of every error ({@code application/problem+json}). The detail
 * names the failing field and the rule it broke.
 */
public record Problem(String type, String title, int status, String detail) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("urn:io-serverless:problem:" + slug(title), title, status, detail);
    }

    public static Problem badRequest(String detail) {
        return of(400, "Invalid request", detail);
    }

    public static Problem unauthorized(String detail) {
        return of(401, "Unauthorized", detail);
    }

    public static Problem forbidden(String detail) {
        return of(403, "Forbidden", detail);
    }

    public static Problem notFound(String detail) {
        return of(404, "Not found", detail);
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
