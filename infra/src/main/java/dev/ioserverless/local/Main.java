package dev.ioserverless.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar infra/target/io-local.jar [--port 3000] [--state-dir .io-local] [--persist]
 * [--template template.yaml] [--no-schedules] [--in-process]}, or {@code ... io-local.jar bench [--quick]
 * [--out FILE]} for the benchmark ({@link dev.ioserverless.local.bench.Bench}), or {@code ... io-local.jar
 * redrive --from URL --to URL} to move dead letters back ({@link dev.ioserverless.local.ops.Redrive}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("redrive")) {
            try {
                dev.ioserverless.local.ops.Redrive.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                System.err.println("io-local redrive: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        if (args.length > 0 && args[0].equals("load")) {
            try {
                dev.ioserverless.local.bench.Load.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                System.err.println("io-local load: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        if (args.length > 0 && args[0].equals("bench")) {
            try {
                dev.ioserverless.local.bench.Bench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                System.err.println("io-local bench: " + e.getMessage());
                System.exit(2);
            }
            System.exit(0);   // instances and emulators are stopped; daemon-free exit
            return;
        }
        LocalPlatform.Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("io-local: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        LocalPlatform platform = LocalPlatform.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("io-local: stopping");
            platform.close();
            stopped.countDown();
        }, "io-local-shutdown"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("io-local: ready in " + millis + " ms");
        System.out.println("  API          " + platform.apiBaseUrl());
        if (platform.citizenApiBaseUrl() != null) {
            System.out.println("  citizen API  " + platform.citizenApiBaseUrl());
        }
        System.out.println("  DynamoDB     " + platform.dynamoDbEndpoint());
        System.out.println("  SQS          " + platform.sqsEndpoint());
        System.out.println("  SNS          " + platform.snsEndpoint());
        System.out.println("  S3           " + platform.s3Endpoint() + " (path-style)");
        System.out.println("  KMS          " + platform.kmsEndpoint());
        System.out.println("  SSM          " + platform.ssmEndpoint());
        System.out.println("  remote content (demo body) " + platform.remoteContent().baseUrl());
        if (platform.demo() != null) {
            System.out.println("  demo         " + options.stateDir().resolve("demo.json").toAbsolutePath());
        }
        System.out.println("  data         " + (options.persist() ? "kept in " + options.stateDir() : "in memory"));
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    static LocalPlatform.Options parse(String[] args) {
        LocalPlatform.Options options = LocalPlatform.Options.defaults();
        java.util.Map<String, String> variables = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> {
                    int port = Integer.parseInt(value(args, ++i, arg));
                    if (port < 0 || port > 65535 - LocalPlatform.HIGHEST_PORT_OFFSET) {
                        throw new IllegalArgumentException("--port must be between 0 and "
                                + (65535 - LocalPlatform.HIGHEST_PORT_OFFSET));
                    }
                    options = options.withPort(port);
                }
                case "--state-dir" -> options = options.withStateDir(Path.of(value(args, ++i, arg)));
                case "--persist" -> options = options.withPersist(true);
                case "--template" -> options = options.withTemplate(Path.of(value(args, ++i, arg)));
                case "--no-schedules" -> options = options.withSchedules(false);
                case "--in-process" -> options = options.withInProcess(true);
                case "--faults" -> {
                    String spec = value(args, ++i, arg);
                    dev.ioserverless.common.FaultInjection.parse(spec);   // refused here, not in every function
                    variables.put(dev.ioserverless.common.FaultInjection.VARIABLE, spec);
                }
                case "--crash" -> {
                    String spec = value(args, ++i, arg);
                    dev.ioserverless.common.CrashPoints.parse(spec);
                    variables.put(dev.ioserverless.common.CrashPoints.VARIABLE, spec);
                }
                case "--faults-seed" -> variables.put(dev.ioserverless.common.FaultInjection.SEED_VARIABLE,
                        Long.toString(Long.parseLong(value(args, ++i, arg))));
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return variables.isEmpty() ? options : options.withFunctionVariables(variables);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static String usage() {
        return String.join("\n",
                "usage: java -jar infra/target/io-local.jar [options]",
                "       java -jar infra/target/io-local.jar bench [--quick] [--out FILE]   (see BENCHMARKS.md)",
                "       java -jar infra/target/io-local.jar load [--rate R] [--duration S] [--out FILE]   (see BENCHMARKS.md)",
                "  --port N          HTTP API port (default 3000); DynamoDB, SQS and SNS listen on N+1, N+2, N+3,",
                "                    the other HTTP APIs from N+4, SSM on N+9, S3 on N+10, the demo",
                "                    remote-content server on N+11, KMS on N+12, SES on N+13 (0 picks free ports",
                "                    for all)",
                "  --state-dir DIR   where demo.json and persisted data go (default .io-local)",
                "  --persist         keep DynamoDB data, S3 objects and KMS keys in the state dir across restarts",
                "                    (default: in memory)",
                "  --template FILE   the SAM template to run (default ./template.yaml)",
                "  --no-schedules    do not fire Schedule events on their own; run them with",
                "                    POST /_local/schedules/{FunctionLogicalId}/run?now=...",
                "  --in-process      run the functions inside the platform's JVM (faster to start, not as",
                "                    Lambda runs them); by default each function runs in its own JVM with",
                "                    the deployment artifact and AWS's runtime interface client",
                "  --faults SPEC     inject faults into the functions' AWS calls, per attempt: a comma list of",
                "                    <service>[.<Operation>]=<rate>[:<kinds>], service dynamodb|sqs|sns|ssm,",
                "                    kinds throttle+error+timeout+ambiguous (default all), e.g.",
                "                    dynamodb=0.1,sqs=0.1,sns=0.1 or sqs.SendMessage=0.5:ambiguous",
                "  --crash SPEC      crash handlers at a point, <point>=<rate>, points SubmitMessage.after-write,",
                "                    ProcessMessage.after-record, PushNotification.after-record",
                "  --faults-seed N   the seed of the faults and crashes (default 1)");
    }
}
