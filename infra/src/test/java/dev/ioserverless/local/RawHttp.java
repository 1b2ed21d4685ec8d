package dev.ioserverless.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a socket, for what the JDK's HttpClient refuses to send: a path it
 * will not parse, a Content-Length without its body, a request that stalls.
 */
final class RawHttp {
    private RawHttp() {
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Socket connect(URI base) throws IOException {
        return new Socket(base.getHost(), base.getPort());
    }

    /** The request head: request line, Host, the extra header lines, then the blank line. */
    static byte[] head(URI base, String method, String target, String... headerLines) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: "
                + base.getHost() + ":" + base.getPort() + "\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends one request on a connection of its own with {@code Connection: close}, and reads the answer to EOF. */
    static Response exchange(URI base, String method, String target, String... headerLines) {
        String[] lines = new String[headerLines.length + 1];
        System.arraycopy(headerLines, 0, lines, 0, headerLines.length);
        lines[headerLines.length] = "Connection: close";
        try (Socket socket = connect(base)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head(base, method, target, lines));
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String[] lines = raw.substring(0, end < 0 ? raw.length() : end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, end < 0 ? "" : raw.substring(end + 4));
    }
}
