package dev.ioserverless.local.runtime;

import dev.ioserverless.local.template.FunctionSpec;

/**
 * One function of the template as the platform's event sources call it: the HTTP gateway, the SQS
 * pollers and the scheduler invoke it the way Lambda's would, whichever way it runs
 * ({@link ContainerFunction}, as Lambda runs it, or {@link InProcessFunction}).
 */
public interface LambdaFunction extends AutoCloseable {

    FunctionSpec spec();

    /**
     * Invokes the function with the event and converts its result to {@code resultType}.
     *
     * @throws InvocationFailure when the function throws, crashes or runs past its timeout
     */
    <R> R invoke(Object event, Class<R> resultType);

    /**
     * Invokes the function with an event as JSON on the wire (such as a sample of {@code events/})
     * and answers its result as JSON on the wire.
     *
     * @throws InvocationFailure when the function throws, crashes or runs past its timeout
     */
    String invokeJson(String event);

    /** Stops whatever runs the function; an invocation in flight fails. */
    @Override
    default void close() {
    }

    /** The invocation did not return a result: the handler threw, the runtime crashed, or it timed out. */
    final class InvocationFailure extends RuntimeException {
        public InvocationFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
