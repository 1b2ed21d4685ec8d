package dev.ioserverless.local.runtime;

/**
 * How every local HTTP server of the JDK's is set up. The JDK's server writes a response's headers
 * and body apart; with Nagle's algorithm on, the body then waits for the peer's delayed ACK (about
 * 40 ms) on a kept-alive connection, a delay that neither API Gateway nor Lambda's Runtime API
 * adds. The setting is read once, when the first server starts, so each class that starts one
 * calls {@link #sendAtOnce()} first.
 */
public final class HttpServers {
    private HttpServers() {
    }

    public static void sendAtOnce() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
}
