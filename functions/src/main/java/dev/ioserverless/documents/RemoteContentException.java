package dev.ioserverless.documents;

/**
 * Why a public body's server did not give the third-party content asked for. The {@link #kind()}
 * says how to answer the citizen; the message is safe to show and to log: it may name the body's
 * host and the outcome, and never holds the key, the fiscal code, the path asked for or anything
 * the body's server sent. No cause is kept, because the causes' own messages (a parser's, a
 * certificate's) can carry exactly those.
 */
public final class RemoteContentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The outcome, and the status the citizen API answers with. */
    public enum Kind {
        /** The id or attachment path is not one this client sends (400). */
        BAD_REQUEST(400),
        /** The body's server answered 404 (404). */
        NOT_FOUND(404),
        /** The body's server answered 410: the content was there and is gone (410). */
        GONE(410),
        /** The attachment is not a PDF, PNG or JPEG, or not the type the server declared (415). */
        UNSUPPORTED_MEDIA_TYPE(415),
        /**
         * Anything else the body's server did wrong, or an address the policy refuses: a redirect,
         * 429, 5xx, another 4xx, a malformed or oversized answer, a TLS failure, a refused or reset
         * connection (502).
         */
        BAD_GATEWAY(502),
        /** The connect timeout, the read timeout or the whole exchange's deadline passed (504). */
        TIMEOUT(504);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status the citizen API answers for this outcome. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;

    /** An outcome with a detail that follows the rules above (callers pass only host and reason). */
    public RemoteContentException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    /** The outcome. */
    public Kind kind() {
        return kind;
    }
}
