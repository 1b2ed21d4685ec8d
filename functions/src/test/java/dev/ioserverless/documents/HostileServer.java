package dev.ioserverless.documents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP server on 127.0.0.1 whose every byte the test writes: each connection's request head
 * is read and recorded, then the handler answers (or does not). The outcome of the last handler
 * (normal end or the exception it ended with) is kept, so a test can see that the client hung up.
 */
final class HostileServer implements AutoCloseable {
    @FunctionalInterface
    interface Handler {
        void handle(String requestHead, InputStream in, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile CompletableFuture<Throwable> lastOutcome = new CompletableFuture<>();

    private final boolean readRequest;

    private HostileServer(ServerSocket server, boolean readRequest) {
        this.server = server;
        this.readRequest = readRequest;
    }

    static HostileServer start(Handler handler) throws IOException {
        return start(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), handler);
    }

    static HostileServer start(ServerSocket socket, Handler handler) {
        return start(socket, handler, true);
    }

    /** A server that answers as soon as it accepts, without reading a request (the handler's head is null). */
    static HostileServer startWithoutReading(Handler handler) throws IOException {
        return start(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), handler, false);
    }

    private static HostileServer start(ServerSocket socket, Handler handler, boolean readRequest) {
        HostileServer hostile = new HostileServer(socket, readRequest);
        Thread acceptor = new Thread(() -> hostile.acceptLoop(handler), "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return hostile;
    }

    /** An answer written as given, the connection then closed. */
    static Handler answering(byte[] response) {
        return (head, in, out) -> {
            out.write(response);
            out.flush();
        };
    }

    static Handler answering(String response) {
        return answering(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void acceptLoop(Handler handler) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            lastOutcome = outcome;
            Thread worker = new Thread(() -> {
                Throwable failure = null;
                try (Socket s = socket) {
                    InputStream in = s.getInputStream();
                    String head = readRequest ? readHead(in) : null;
                    if (head != null) {
                        requests.add(head);
                    }
                    if (s instanceof javax.net.ssl.SSLSocket tls
                            && tls.getSession() instanceof javax.net.ssl.ExtendedSSLSession session) {
                        for (javax.net.ssl.SNIServerName name : session.getRequestedServerNames()) {
                            if (name instanceof javax.net.ssl.SNIHostName host) {
                                serverNames.add(host.getAsciiName());
                            }
                        }
                    }
                    handler.handle(head, in, s.getOutputStream());
                } catch (Throwable e) {
                    failure = e;
                }
                outcome.complete(failure);
            }, "hostile-connection");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("request ended early");
            }
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the client closes: a server that never answers. */
    static void waitForClientToHangUp(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // discard
        }
    }

    URI base(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> requests() {
        return requests;
    }

    /** The SNI host names TLS clients asked for. */
    List<String> serverNames() {
        return serverNames;
    }

    int connections() {
        return connections.get();
    }

    /** How the last connection's handler ended: null normally, else its exception. */
    Throwable lastOutcome() throws InterruptedException, ExecutionException, TimeoutException {
        return lastOutcome.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
