package dev.ioserverless.local.runtime;

import dev.ioserverless.common.Log;
import dev.ioserverless.local.template.FunctionSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One function of the template run as Lambda runs it ({@link ContainerRuntime}): instances start
 * on demand, one per concurrent invocation up to {@link ContainerRuntime.Settings#maxInstances()},
 * each a JVM of its own that serves one invocation at a time, and idle ones are reaped. The first
 * invocation of an instance pays its cold start.
 */
public final class ContainerFunction implements LambdaFunction {
    private static final Log LOG = Log.platform("container-runtime");

    private final ContainerRuntime runtime;
    private final FunctionSpec spec;
    private final String arn;
    private final Map<String, String> environment;
    private final Deque<ContainerInstance> idle = new ArrayDeque<>();
    private final List<ContainerInstance> all = new ArrayList<>();
    private final ScheduledExecutorService reaper;
    private int starting;
    private boolean closed;
    private final java.util.concurrent.atomic.AtomicLong invocations = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong billedMillis = new java.util.concurrent.atomic.AtomicLong();

    /**
     * What Lambda would bill so far: invocations, and their durations rounded up to the millisecond.
     * A cold start's init is not in it (with SnapStart, Lambda bills the restore instead).
     */
    public record Usage(long invocations, long billedMillis) {
    }

    public Usage usage() {
        return new Usage(invocations.get(), billedMillis.get());
    }

    ContainerFunction(ContainerRuntime runtime, FunctionSpec spec, String arn, Map<String, String> environment) {
        this.runtime = runtime;
        this.spec = spec;
        this.arn = arn;
        this.environment = Map.copyOf(environment);
        this.reaper = Executors.newSingleThreadScheduledExecutor(ContainerRuntime.daemon("reaper-" + spec.logicalId()));
        long every = Math.max(1, runtime.settings().idleTimeout().toMillis() / 2);
        reaper.scheduleWithFixedDelay(this::reapIdle, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public FunctionSpec spec() {
        return spec;
    }

    @Override
    public <R> R invoke(Object event, Class<R> resultType) {
        byte[] result = run(WireFormat.toJson(event));
        try {
            return resultType == Void.class ? null : WireFormat.fromJson(result, resultType);
        } catch (IllegalArgumentException e) {
            throw new InvocationFailure(spec.logicalId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String invokeJson(String event) {
        return new String(run(event.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** One invocation on an instance of the pool, billed as Lambda would bill it. */
    private byte[] run(byte[] event) {
        ContainerInstance instance = acquire();
        try {
            byte[] result = instance.invoke(event);
            invocations.incrementAndGet();
            billedMillis.addAndGet(Math.max(1, (instance.lastDurationNanos() + 999_999) / 1_000_000));
            return result;
        } finally {
            release(instance);
        }
    }

    /** Instances alive now (busy or idle). */
    public synchronized int instances() {
        return all.size();
    }

    /** The process ids of the instances alive now. */
    public synchronized List<Long> pids() {
        return all.stream().map(ContainerInstance::pid).toList();
    }

    private ContainerInstance acquire() {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new InvocationFailure(spec.logicalId() + ": the platform is stopping", null);
                }
                ContainerInstance ready = idle.pollFirst();
                if (ready != null) {
                    if (ready.isAlive()) {
                        return ready;
                    }
                    all.remove(ready);
                    continue;
                }
                if (all.size() + starting < runtime.settings().maxInstances()) {
                    starting++;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InvocationFailure(spec.logicalId() + " was interrupted", e);
                }
            }
        }
        ContainerInstance created = null;
        try {
            created = ContainerInstance.start(runtime, spec, arn, environment);
            return created;
        } finally {
            synchronized (this) {
                starting--;
                if (created != null) {
                    all.add(created);
                }
                notifyAll();
            }
        }
    }

    private synchronized void release(ContainerInstance instance) {
        if (instance.isAlive() && !closed) {
            idle.addFirst(instance);   // the most recently used first: the others age out
        } else {
            all.remove(instance);
            instance.close();
        }
        notifyAll();
    }

    private void reapIdle() {
        List<ContainerInstance> reaped = new ArrayList<>();
        synchronized (this) {
            long cutoff = System.nanoTime() - runtime.settings().idleTimeout().toNanos();
            idle.removeIf(instance -> {
                if (instance.lastUsedNanos() < cutoff || !instance.isAlive()) {
                    reaped.add(instance);
                    return true;
                }
                return false;
            });
            all.removeAll(reaped);
            notifyAll();
        }
        for (ContainerInstance instance : reaped) {
            instance.close();
            LOG.debug("instance_reaped", "function", spec.logicalId(), "pid", instance.pid());
        }
    }

    @Override
    public void close() {
        List<ContainerInstance> stopping;
        synchronized (this) {
            closed = true;
            stopping = List.copyOf(all);
            all.clear();
            idle.clear();
            notifyAll();
        }
        reaper.shutdownNow();
        stopping.forEach(ContainerInstance::close);
    }
}
