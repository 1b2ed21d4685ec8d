package dev.ioserverless.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ioserverless.documents.RemoteContentException.Kind;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a TLS server on 127.0.0.1 with a self-signed certificate for {@code body.test},
 * made with the JDK's keytool when the tests start (skipped where there is no keytool).
 */
class RemoteContentTlsTest {
    static final char[] PASSWORD = "changeit".toCharArray();
    static SSLContext serverContext;
    static SSLContext trustingClient;

    @TempDir
    static Path dir;

    HostileServer server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        File keytool = new File(System.getProperty("java.home"), "bin/keytool");
        assumeTrue(keytool.canExecute(), "no keytool in this JDK");
        Path store = dir.resolve("body.p12");
        Process process = new ProcessBuilder(keytool.getPath(), "-genkeypair", "-alias", "body", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=body.test", "-ext", "SAN=dns:body.test", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit",
                "-noprompt").redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assumeTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);

        Certificate certificate = keys.getCertificate("body");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("body", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        trustingClient = SSLContext.getInstance("TLS");
        trustingClient.init(null, trustManagers.getTrustManagers(), null);
        Files.deleteIfExists(store);
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    HostileServer tlsServer(HostileServer.Handler handler) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        server = HostileServer.start(socket, handler);
        return server;
    }

    static RemoteContentClient client(SSLContext trust) {
        AddressPolicy policy = AddressPolicy.allowLoopback()
                .withResolver(host -> List.of(InetAddress.getByName("127.0.0.1")));
        return new RemoteContentClient(policy, Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(5),
                trust == null ? null : trust.getSocketFactory());
    }

    static RemoteEndpoint endpoint(String host, int port) {
        return new RemoteEndpoint(URI.create("https://" + host + ":" + port + "/remote"), "X-Body-Key",
                RemoteContentClientTest.KEY);
    }

    @Test
    void detailsOverVerifiedTlsWithSni() throws Exception {
        HostileServer tls = tlsServer(HostileServer.answering(
                RemoteContentClientTest.ok("application/json", RemoteContentClientTest.DETAILS)));
        ThirdPartyDetails details = client(trustingClient).details(endpoint("body.test", tls.port()), "m1",
                RemoteContentClientTest.FISCAL_CODE);
        assertEquals(RemoteContentClientTest.SUBJECT, details.subject());
        assertEquals(List.of("body.test"), tls.serverNames());
        assertTrue(tls.requests().get(0).contains("\r\nHost: body.test:" + tls.port() + "\r\n"));
    }

    @Test
    void anUntrustedCertificateIsABadGateway() throws Exception {
        HostileServer tls = tlsServer(HostileServer.answering("HTTP/1.1 200 OK\r\n\r\n"));
        RemoteContentException e = assertThrows(RemoteContentException.class,
                () -> client(null).details(endpoint("body.test", tls.port()), "m1", RemoteContentClientTest.FISCAL_CODE));
        assertEquals(Kind.BAD_GATEWAY, e.kind());
        assertEquals(List.of(), tls.requests(), "no request was sent over the untrusted connection");
    }

    @Test
    void aCertificateForAnotherHostIsABadGateway() throws Exception {
        HostileServer tls = tlsServer(HostileServer.answering("HTTP/1.1 200 OK\r\n\r\n"));
        RemoteContentException e = assertThrows(RemoteContentException.class, () -> client(trustingClient)
                .details(endpoint("other.test", tls.port()), "m1", RemoteContentClientTest.FISCAL_CODE));
        assertEquals(Kind.BAD_GATEWAY, e.kind());
        assertEquals(List.of(), tls.requests());
    }

    @Test
    void aPlainHttpAnswerToTlsIsABadGateway() throws Exception {
        server = HostileServer.startWithoutReading(HostileServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        RemoteContentException plain = assertThrows(RemoteContentException.class, () -> client(trustingClient)
                .details(endpoint("body.test", server.port()), "m1", RemoteContentClientTest.FISCAL_CODE));
        assertEquals(Kind.BAD_GATEWAY, plain.kind());
    }

    @Test
    void aServerThatNeverCompletesTheHandshakeTimesOut() throws Exception {
        server = HostileServer.start((head, in, out) -> HostileServer.waitForClientToHangUp(in));
        RemoteContentClient impatient = new RemoteContentClient(
                AddressPolicy.allowLoopback().withResolver(host -> List.of(InetAddress.getByName("127.0.0.1"))),
                Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(5), trustingClient.getSocketFactory());
        RemoteContentException silent = assertThrows(RemoteContentException.class, () -> impatient
                .details(endpoint("body.test", server.port()), "m1", RemoteContentClientTest.FISCAL_CODE));
        assertEquals(Kind.TIMEOUT, silent.kind());
    }
}
