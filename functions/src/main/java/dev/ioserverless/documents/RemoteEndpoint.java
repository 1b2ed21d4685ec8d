package dev.ioserverless.documents;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where a public body serves its third-party messages (IO's remote-content configuration): the
 * base URL, under which {@code /messages/{id}} is served, and the header that carries the body's
 * key on every request. Which addresses the URL may reach is {@link AddressPolicy}'s decision, made
 * at each call; this type only refuses what could never be a base URL or a header.
 *
 * @param baseUrl absolute http(s) URL with a host, no query and no fragment
 * @param headerName the auth header's name, an HTTP token that is not one the client sets itself
 * @param key the key, visible ASCII (no CR, LF or other control character); never shown by {@link #toString()}
 */
public record RemoteEndpoint(URI baseUrl, String headerName, String key) {
    /** Headers the client writes itself, which the configured auth header must not replace. */
    private static final Set<String> RESERVED = Set.of("host", "accept", "connection", "user-agent", "fiscal_code",
            "content-length", "transfer-encoding", "te", "upgrade", "expect", "proxy-authorization", "cookie");

    /** @throws IllegalArgumentException when a part is missing or malformed (the message never holds the key) */
    public RemoteEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(headerName, "headerName");
        Objects.requireNonNull(key, "key");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!baseUrl.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || baseUrl.isOpaque()) {
            throw new IllegalArgumentException("baseUrl: must be an absolute http or https URL");
        }
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl: must name a host");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl: must have no query and no fragment");
        }
        if (headerName.isEmpty() || !headerName.chars().allMatch(RemoteEndpoint::isTokenChar)) {
            throw new IllegalArgumentException("headerName: must be an HTTP header name");
        }
        if (RESERVED.contains(headerName.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("headerName: " + headerName + " is set by the client itself");
        }
        if (key.isEmpty() || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("key: must be non-empty visible ASCII");
        }
    }

    static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The base URL and the header's name; the key (and any user information in the URL) is never shown. */
    @Override
    public String toString() {
        String port = baseUrl.getPort() == -1 ? "" : ":" + baseUrl.getPort();
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        return "RemoteEndpoint[baseUrl=" + baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path
                + ", headerName=" + headerName + ", key=***]";
    }
}
