package dev.ioserverless.local.sns;

/**
 * Writes SNS Query protocol replies:
 * {@code <XResponse xmlns=...><XResult>...</XResult><ResponseMetadata><RequestId>..</RequestId>
 * </ResponseMetadata></XResponse>}, and the {@code ErrorResponse} document. The SDK reads the first
 * child of the root as the result, so the result element always comes first.
 */
final class SnsXml {

    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

    private final String action;
    private final StringBuilder out = new StringBuilder(256);

    private SnsXml(String action) {
        this.action = action;
        out.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
        out.append('<').append(action).append("Result>");
    }

    /** Starts a reply that has a result element; finish it with {@link #finish}. */
    static SnsXml result(String action) {
        return new SnsXml(action);
    }

    /** A reply without a result element (DeleteTopic, Unsubscribe, Set*Attributes). */
    static String empty(String action, String requestId) {
        return "<" + action + "Response xmlns=\"" + NAMESPACE + "\">" + metadata(requestId)
                + "</" + action + "Response>";
    }

    static String error(SnsException e, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error>"
                + "<Type>" + e.faultType() + "</Type>"
                + "<Code>" + escape(e.code()) + "</Code>"
                + "<Message>" + escape(e.getMessage()) + "</Message>"
                + "</Error><RequestId>" + escape(requestId) + "</RequestId></ErrorResponse>";
    }

    SnsXml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    SnsXml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** A text element; nothing is written for a null value. */
    SnsXml element(String name, String value) {
        if (value != null) {
            open(name);
            out.append(escape(value));
            close(name);
        }
        return this;
    }

    /** One entry of a string map: {@code <entry><key>k</key><value>v</value></entry>}. */
    SnsXml entry(String key, String value) {
        return open("entry").element("key", key).element("value", value).close("entry");
    }

    String finish(String requestId) {
        out.append("</").append(action).append("Result>");
        out.append(metadata(requestId));
        out.append("</").append(action).append("Response>");
        return out.toString();
    }

    private static String metadata(String requestId) {
        return "<ResponseMetadata><RequestId>" + escape(requestId) + "</RequestId></ResponseMetadata>";
    }

    /**
     * Escapes text content. Carriage returns become a character reference so XML parsers keep them;
     * characters XML 1.0 cannot carry at all become U+FFFD.
     */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                case '\r' -> "&#13;";
                default -> (c < 0x20 && c != '\t' && c != '\n') || c == 0xFFFE || c == 0xFFFF ? "\uFFFD" : null;
            };
            if (replacement != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (replacement != null) {
                    b.append(replacement);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
