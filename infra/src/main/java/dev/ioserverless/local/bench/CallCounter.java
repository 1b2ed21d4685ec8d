package dev.ioserverless.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * The benchmark's counter of AWS requests, as an SDK {@link ExecutionInterceptor}: each request by
 * service and operation (an SNS Publish to a device endpoint counted apart, as mobile push), the
 * DynamoDB read and write units each one consumed (it asks for {@code ReturnConsumedCapacity=INDEXES},
 * which changes nothing else), failures, and the JVM's largest heap in use.
 *
 * <p>In a function's instance it is loaded as an SDK global interceptor (the benchmark adds a jar
 * with {@code software/amazon/awssdk/global/handlers/execution.interceptors} to the instance's class
 * path) and writes its totals to {@code <io.bench.dir>/calls-<pid>.json} a few times a second. In
 * the platform it is handed to the platform's own SQS client (the event source mapping's polls and
 * deletes, and SNS's deliveries to queues).
 */
public final class CallCounter implements ExecutionInterceptor {
    private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final DoubleAdder READ_UNITS = new DoubleAdder();
    private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
    private static final AtomicLong MAX_HEAP = new AtomicLong();
    private static volatile boolean reporting;

    public CallCounter() {
        startReporting();
    }

    private static synchronized void startReporting() {
        String dir = System.getProperty("io.bench.dir");
        if (reporting || dir == null) {
            return;
        }
        reporting = true;
        Path out = Path.of(dir, "calls-" + ProcessHandle.current().pid() + ".json");
        Thread reporter = new Thread(() -> {
            while (true) {
                sampleHeap();
                write(out);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-call-counter");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static void sampleHeap() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        MAX_HEAP.accumulateAndGet(used, Math::max);
    }

    private static void write(Path out) {
        try {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, snapshotJson(), StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The totals so far, as {@code {"function", "calls": {"Service.Operation": n}, ...}}. */
    public static String snapshotJson() {
        StringBuilder json = new StringBuilder("{\"function\":\"")
                .append(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "platform")).append("\",\"calls\":{");
        Map<String, Long> sorted = new TreeMap<>();
        CALLS.forEach((k, v) -> sorted.put(k, v.get()));
        String sep = "";
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
            sep = ",";
        }
        return json.append("},\"failures\":").append(FAILURES.get())
                .append(",\"dynamodb_read_units\":").append(READ_UNITS.sum())
                .append(",\"dynamodb_write_units\":").append(WRITE_UNITS.sum())
                .append(",\"max_heap_bytes\":").append(MAX_HEAP.get()).append('}').toString();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof BatchGetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof BatchWriteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (context.request() instanceof PublishRequest publish && publish.targetArn() != null) {
            operation = "Publish.mobilePush";
        }
        CALLS.computeIfAbsent(service + "." + operation, k -> new AtomicLong()).incrementAndGet();
        SdkResponse response = context.response();
        if (response instanceof GetItemResponse r) {
            READ_UNITS.add(units(r.consumedCapacity()));
        } else if (response instanceof QueryResponse r) {
            READ_UNITS.add(units(r.consumedCapacity()));
        } else if (response instanceof BatchGetItemResponse r && r.consumedCapacity() != null) {
            r.consumedCapacity().forEach(c -> READ_UNITS.add(units(c)));
        } else if (response instanceof PutItemResponse r) {
            WRITE_UNITS.add(units(r.consumedCapacity()));
        } else if (response instanceof UpdateItemResponse r) {
            WRITE_UNITS.add(units(r.consumedCapacity()));
        } else if (response instanceof DeleteItemResponse r) {
            WRITE_UNITS.add(units(r.consumedCapacity()));
        } else if (response instanceof BatchWriteItemResponse r && r.consumedCapacity() != null) {
            r.consumedCapacity().forEach(c -> WRITE_UNITS.add(units(c)));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.computeIfAbsent(service + "." + operation, k -> new AtomicLong()).incrementAndGet();
        FAILURES.incrementAndGet();
    }

    /** Table and index units together; a conditional write that failed consumed units too, but is not seen here. */
    private static double units(ConsumedCapacity capacity) {
        if (capacity == null) {
            return 0;
        }
        double units = capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
        if (capacity.capacityUnits() == null && capacity.table() != null && capacity.table().capacityUnits() != null) {
            units = capacity.table().capacityUnits();
        }
        return units;
    }

    /** Resets the platform-side totals (the instances' own are per process). */
    public static void reset() {
        CALLS.clear();
        FAILURES.set(0);
        READ_UNITS.reset();
        WRITE_UNITS.reset();
    }

    static Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        CALLS.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    static List<Double> units() {
        return List.of(READ_UNITS.sum(), WRITE_UNITS.sum());
    }
}
