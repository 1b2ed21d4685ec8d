package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot freeze the gateway: 64 connections that send their headers, promise a
 * 1000-byte body and then stall hold no thread that an ordinary request needs, and the gateway
 * closes each of them once its request time is up ({@code sun.net.httpserver.maxReqTime}, set
 * small for the tests in infra/pom.xml).
 */
class SlowClientsIT {
    private static final int STALLED = 64;

    @Test
    void stalledConnectionsLeaveTheGatewayServingAndAreClosed() throws Exception {
        URI base = TestPlatform.get().apiBaseUrl();
        long requestTimeSeconds = Long.getLong("sun.net.httpserver.maxReqTime", 30);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED; i++) {
                Socket socket = RawHttp.connect(base);
                socket.getOutputStream().write(RawHttp.head(base, "POST", "/api/v1/messages/" + FiscalCodes.random(),
                        "Content-Type: application/json", "Ocp-Apim-Subscription-Key: 0123456789abcdef",
                        "Content-Length: 1000"));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            // The gateway has taken them all up (a worker each, reading a body that never comes) before the
            // ordinary request arrives.
            LocalPlatform platform = TestPlatform.get();
            TestPlatform.await(() -> platform.busyGatewayWorkers() >= STALLED, Duration.ofSeconds(10),
                    "the gateway holds every stalled connection");

            HttpClient client = HttpClient.newHttpClient();
            long[] millis = new long[10];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(TestPlatform.url("/_local/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, health.statusCode(), health.body());
            }
            System.out.println("slow-clients: 10 x GET /_local/health beside " + STALLED + " stalled connections, ms: "
                    + java.util.Arrays.toString(millis));

            // Served while the stalled connections still stand: they held no thread the health check needed.
            for (Socket socket : stalled) {
                socket.setSoTimeout(1);
                assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                        "still open (the gateway closes it only after its request time)");
            }
            for (Socket socket : stalled) {
                socket.setSoTimeout((int) (requestTimeSeconds * 1000 + 5000));
                assertEquals(-1, readOrEof(socket), "the gateway closes a stalled connection after its request time");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /** -1 at EOF; a reset is the connection closed too. */
    private static int readOrEof(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
