package dev.ioserverless.local.emulators;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ in this JVM: an SQS-compatible endpoint (JSON and Query protocols) for real SQS clients. */
public final class ElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final int port;

    private ElasticMq(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static ElasticMq start(String host, int port, String region, String accountId) {
        int chosen = port == 0 ? FreePort.find(host) : port;
        SQSRestServer server = SQSRestServerBuilder
                .withInterface(host)
                .withPort(chosen)
                .withServerAddress(new NodeAddress("http", host, chosen, ""))
                .withAWSRegion(region)
                .withAWSAccountId(accountId)
                .start();
        server.waitUntilStarted();
        return new ElasticMq(server, chosen);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
