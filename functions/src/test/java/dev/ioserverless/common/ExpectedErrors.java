package dev.ioserverless.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The ERROR log events a test provokes on purpose (failure injection). {@link QuietLogs} prints
 * every other ERROR line, so a real one stands out in a green build.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ExpectedErrors {
    /** Event names, as in the line's {@code "event"}. */
    String[] value();
}
