package dev.ioserverless.local.sns;

/**
 * An SNS API error: the error code the SDK maps to its exception type, the HTTP status and the
 * message. It extends {@link IllegalArgumentException} so that callers of the programmatic API
 * ({@link SnsEmulator#createTopic}, {@link SnsEmulator#subscribe}) see bad input as such.
 */
final class SnsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    SnsException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    static SnsException invalidParameter(String detail) {
        return new SnsException("InvalidParameter", 400, "Invalid parameter: " + detail);
    }

    static SnsException notFound(String message) {
        return new SnsException("NotFound", 404, message);
    }

    static SnsException internal() {
        return new SnsException("InternalError", 500, "Internal error");
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** "Sender" for client errors, "Receiver" for server errors, as in the Query protocol. */
    String faultType() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
