package dev.ioserverless.local.emulators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local in this JVM, in server mode, so real SDK clients reach it over HTTP. In memory by
 * default; with a data directory its tables survive restarts.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port    the port to listen on (0 picks a free one)
     * @param dataDir where to keep the data, or null to keep it in memory
     */
    public static DynamoDbLocal start(String host, int port, Path dataDir) {
        NativeLibraries.configureSqlite();
        int chosen = port == 0 ? FreePort.find(host) : port;
        List<String> args = new ArrayList<>(List.of("-port", String.valueOf(chosen), "-sharedDb", "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            args.add("-dbPath");
            args.add(dataDir.toAbsolutePath().toString());
        }
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        try {
            DynamoDBProxyServer server = withoutBanner(banner, () -> ServerRunner.createServerFromCommandLineArgs(
                    args.toArray(String[]::new)));
            bindTo(server, host);
            server.start();
            return new DynamoDbLocal(server, chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen + ": "
                    + banner.toString(StandardCharsets.UTF_8).strip(), e);
        }
    }

    /**
     * DynamoDB Local has no option for the address it listens on and takes every interface; its
     * Jetty connectors are bound to {@code host} (loopback) before it starts, as every local server is.
     */
    private static void bindTo(DynamoDBProxyServer server, String host) throws ReflectiveOperationException {
        java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(server);
        for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector network) {
                network.setHost(host);
            }
        }
    }

    /**
     * DynamoDB Local prints its configuration to standard output as it starts; the platform prints
     * its own summary, so that banner is kept aside (and shown only if the start fails).
     */
    private static synchronized <T> T withoutBanner(ByteArrayOutputStream banner, Callable<T> start) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(banner, true, StandardCharsets.UTF_8));
        try {
            return start.call();
        } finally {
            System.setOut(stdout);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
