package dev.ioserverless.local.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new DynamoDbLocal(server, chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
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
