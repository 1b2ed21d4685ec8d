package dev.ioserverless.local.runtime;

/**
 * How every local HTTP server of the JDK's is set up. The JDK's server reads these settings once,
 * when the first server of the JVM starts, so each class that starts one calls
 * {@link #sendAtOnce()} first; a setting given on the command line ({@code -D}) wins.
 *
 * <ul>
 *   <li>{@code sun.net.httpserver.nodelay}: the server writes a response's headers and body apart;
 *       with Nagle's algorithm on, the body then waits for the peer's delayed ACK (about 40 ms) on
 *       a kept-alive connection, a delay that neither API Gateway nor Lambda's Runtime API adds.
 *   <li>{@code sun.net.httpserver.maxReqTime} (seconds): how long a client may take to send a
 *       whole request, line, headers and body; past it the server closes the connection. The
 *       server reads requests on its worker threads, so without it a client that sends its headers
 *       and stalls holds a worker for ever (measured on JDK 17: the limit covers a stalled header
 *       block and a stalled fixed-length body alike, checked every
 *       {@code sun.net.httpserver.timerMillis}, 1 s by default).
 * </ul>
 */
public final class HttpServers {
    /** Seconds a client has to send a whole request. */
    public static final long DEFAULT_MAX_REQUEST_SECONDS = 30;

    private HttpServers() {
    }

    public static void sendAtOnce() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(DEFAULT_MAX_REQUEST_SECONDS));
        }
    }
}
