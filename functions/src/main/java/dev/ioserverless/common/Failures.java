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
}
