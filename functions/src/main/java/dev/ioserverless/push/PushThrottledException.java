package dev.ioserverless.push;

/** SNS throttled a push: the notification should be retried later. */
public final class PushThrottledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PushThrottledException(Throwable cause) {
        super("SNS throttled the push", cause, false, false);
    }
}
