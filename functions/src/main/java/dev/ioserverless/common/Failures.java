package dev.ioserverless.common;

/**
 * Describing an exception for a log line without leaking data: the exception's class, plus its
 * message only for kinds whose messages are known not to carry request data (AWS SDK errors, and
 * the IllegalState/IllegalArgument exceptions this code base throws with fixed texts). Messages of
 * other exceptions (JSON parsers, for example) can quote their input and are left out.
 */
public final class Failures {
    private static final int MAX_MESSAGE = 300;

    private Failures() {
    }

    public static String describe(Throwable failure) {
        String type = failure.getClass().getName();
        String message = failure.getMessage();
        boolean safe = type.startsWith("software.amazon.awssdk.")
                || failure instanceof IllegalStateException
                || failure.getClass() == IllegalArgumentException.class;
        if (!safe || message == null) {
            return type;
        }
        return type + ": " + (message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message);
    }

    /**
     * Whether {@code failure} (or what caused it) is an AWS call that failed for a passing reason,
     * after the SDK's own retries: throttled, a 5xx, a timeout, a connection that failed. Such a
     * request is answered 503 with Retry-After rather than 500.
     */
    public static boolean isTransientAws(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            if (cause instanceof software.amazon.awssdk.core.exception.SdkClientException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether a failed AWS call may still have been carried out: the request may have reached the
     * service and only its answer failed (a read timeout, a connection lost mid-call). False when
     * the service answered with an error, or the connection was never made.
     */
    public static boolean mayHaveBeenServed(Throwable failure) {
        if (failure instanceof software.amazon.awssdk.awscore.exception.AwsServiceException) {
            return false;
        }
        if (!(failure instanceof software.amazon.awssdk.core.exception.SdkClientException)) {
            return false;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
                    || (cause instanceof java.net.SocketTimeoutException && cause.getMessage() != null
                            && cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect timed out"))) {
                return false;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return true;
    }
}
