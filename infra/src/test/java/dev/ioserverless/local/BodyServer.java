package dev.ioserverless.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A public body's remote-content server for tests, on 127.0.0.1, speaking IO's remote-content
 * contract ({@code GET /messages/{id}}, {@code /messages/{id}/{attachment}},
 * {@code /messages/{id}/precondition}) and misbehaving on request: the third-party id chooses.
 *
 * <ul>
 *   <li>any id: details with one PDF attachment {@code files/notice.pdf}, and a precondition;
 *   <li>{@code slow}: accepts and never answers (until the server closes);
 *   <li>{@code huge}: an attachment of 5 MB that starts like a PDF;
 *   <li>{@code html}: an attachment declared application/pdf that is HTML;
 *   <li>{@code redirect-local}: 302 to this server's {@code /trap}; {@code redirect-metadata}: 302
 *       to the cloud metadata address;
 *   <li>{@code broken}: 500; {@code missing}: 404.
 * </ul>
 *
 * It records each request's path and the two headers the platform must send.
 */
final class BodyServer implements AutoCloseable {
    static final String HEADER = "X-Body-Key";
    static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);
    static final String SUBJECT = "Verbale di accertamento 2026";
    static final String MARKDOWN = "Il verbale di accertamento della violazione al codice della strada è allegato a "
            + "questo messaggio, con le istruzioni per il pagamento.";

    record Request(String path, String fiscalCode, String key) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "body-server");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final String key = "body-key-" + UUID.randomUUID();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, Integer> trapHits = new ConcurrentHashMap<>();

    BodyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
        Secrets.apiKey(key);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/io");
    }

    String key() {
        return key;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/trap")) {
                trapHits.merge(path, 1, Integer::sum);
                send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            requests.add(new Request(path, exchange.getRequestHeaders().getFirst("fiscal_code"),
                    exchange.getRequestHeaders().getFirst(HEADER)));
            if (!key.equals(exchange.getRequestHeaders().getFirst(HEADER))) {
                send(exchange, 401, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String[] parts = path.substring("/io/messages/".length()).split("/", 2);
            String id = parts[0];
            String rest = parts.length > 1 ? parts[1] : "";
            switch (id) {
                case "slow" -> {
                    closing.await();
                    return;
                }
                case "broken" -> {
                    send(exchange, 500, "application/json", "{\"title\":\"boom\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case "missing" -> {
                    send(exchange, 404, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case "redirect-local" -> {
                    exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/trap/" + rest);
                    send(exchange, 302, "text/plain", new byte[0]);
                    return;
                }
                case "redirect-metadata" -> {
                    exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
                    send(exchange, 302, "text/plain", new byte[0]);
                    return;
                }
                default -> {
                }
            }
            if (rest.isEmpty()) {
                String details = "{\"attachments\":[{\"id\":\"notice\",\"content_type\":\"application/pdf\","
                        + "\"name\":\"verbale.pdf\",\"url\":\"files/notice.pdf\",\"category\":\"DOCUMENT\"}],"
                        + "\"details\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\",\"iun\":\"A-B-C\"}}";
                send(exchange, 200, "application/json", details.getBytes(StandardCharsets.UTF_8));
            } else if (rest.equals("precondition")) {
                send(exchange, 200, "application/json", ("{\"title\":\"Comunicazione a valore legale\","
                        + "\"markdown\":\"Aprendo il messaggio ne accetti la notifica.\"}").getBytes(StandardCharsets.UTF_8));
            } else if (id.equals("huge")) {
                byte[] huge = new byte[5 * 1024 * 1024];
                System.arraycopy(PDF, 0, huge, 0, PDF.length);
                send(exchange, 200, "application/pdf", huge);
            } else if (id.equals("html")) {
                send(exchange, 200, "application/pdf", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 200, "application/pdf", PDF);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
