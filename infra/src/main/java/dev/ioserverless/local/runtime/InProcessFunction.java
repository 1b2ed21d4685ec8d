package dev.ioserverless.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ioserverless.common.Config;
import dev.ioserverless.local.template.FunctionSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function of the template, running in this JVM (the platform's {@code --in-process} mode):
 * its handler built once, as a Lambda container would, with exactly its configuration, invoked
 * with the function's timeout. Faster than {@link ContainerFunction}, which runs it as Lambda does.
 */
public final class InProcessFunction implements LambdaFunction {
    private static final ObjectMapper EVENTS = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final FunctionSpec spec;
    private final String arn;
    private final Object handler;
    private final Method method;
    private final ExecutorService executor;

    public InProcessFunction(FunctionSpec spec, String arn, Config config, ExecutorService executor) {
        this.spec = spec;
        this.arn = arn;
        this.executor = executor;
        try {
            Class<?> type = Class.forName(spec.handlerClass());
            this.handler = type.getConstructor(Config.class).newInstance(config);
            this.method = handlerMethod(type, spec.handlerMethod());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(spec.logicalId() + ": handler class " + spec.handlerClass() + " not found", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(spec.logicalId() + ": " + spec.handlerClass()
                    + " needs a public constructor taking dev.ioserverless.common.Config", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(spec.logicalId() + ": could not build " + spec.handlerClass(), e);
        }
    }

    @Override
    public FunctionSpec spec() {
        return spec;
    }

    /** The event type the handler declares. */
    public Class<?> inputType() {
        return method.getParameterTypes()[0];
    }

    @Override
    public <R> R invoke(Object event, Class<R> resultType) {
        Object input = inputType().isInstance(event) ? event : EVENTS.convertValue(event, inputType());
        Context context = new LocalContext(spec.functionName(), arn, spec.memoryMb(), spec.timeoutSeconds());
        Future<Object> result = executor.submit(() -> method.invoke(handler, input, context));
        Object output;
        try {
            output = result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new InvocationFailure(spec.logicalId() + " timed out after " + spec.timeoutSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvocationFailure(spec.logicalId() + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
            throw new InvocationFailure(spec.logicalId() + " failed: " + cause, cause);
        }
        if (output == null || resultType == Void.class) {
            return null;
        }
        return resultType.isInstance(output) ? resultType.cast(output) : EVENTS.convertValue(output, resultType);
    }

    @Override
    public String invokeJson(String event) {
        Object result = invoke(dev.ioserverless.common.LambdaEvents.read(event, inputType()), Object.class);
        return new String(WireFormat.toJson(result), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Method handlerMethod(Class<?> type, String name) throws NoSuchMethodException {
        Method found = null;
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals(name) && candidate.getParameterCount() == 2
                    && Context.class.isAssignableFrom(candidate.getParameterTypes()[1])
                    && !candidate.isBridge() && !Modifier.isStatic(candidate.getModifiers())) {
                found = candidate;
            }
        }
        if (found == null) {
            throw new NoSuchMethodException(type.getName() + "::" + name + "(event, Context)");
        }
        return found;
    }
}
