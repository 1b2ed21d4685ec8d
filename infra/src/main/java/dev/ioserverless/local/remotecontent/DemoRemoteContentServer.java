package dev.ioserverless.local.remotecontent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A public body's remote-content server for the demo: the body side of IO's remote content
 * contract (pagopa/io-backend {@code openapi/consumed/api_remote_content.yaml}), where a
 * third-party message's details, attachments and precondition stay at the body and the platform
 * fetches them for the citizen.
 *
 * <ul>
 *   <li>{@code GET /messages/{id}}: {@code {"attachments": [...], "details": {"subject", "markdown"}}}</li>
 *   <li>{@code GET /messages/{id}/precondition}: {@code {"title", "markdown"}}</li>
 *   <li>{@code GET /messages/{id}/{attachment_url}}: the attachment's bytes, with its Content-Type</li>
 * </ul>
 *
 * Every request carries the {@code fiscal_code} header (16 upper-case characters; otherwise 400)
 * and {@link #headerName()} with {@link #key()}, a random key made at start (otherwise 401).
 * Neither the key nor fiscal codes are ever logged.
 */
public final class DemoRemoteContentServer implements AutoCloseable {
    static {
        dev.ioserverless.local.runtime.HttpServers.sendAtOnce();
    }

    /** The header the platform sends the configured key in. */
    public static final String HEADER_NAME = "X-Demo-Api-Key";
    /** A TARI notice with its PDF and a precondition (the citizen confirms before reading). */
    public static final String TARI_MESSAGE_ID = "demo-tari-2026";
    /** A legal notice in the style of a registered letter, read only after accepting its precondition. */
    public static final String LEGAL_NOTICE_MESSAGE_ID = "demo-legal-notice";
    public static final String TARI_ATTACHMENT_ID = "tari-2026-avviso";
    public static final String TARI_ATTACHMENT_URL = "attachments/tari-2026-avviso.pdf";

    private static final Pattern FISCAL_CODE = Pattern.compile("^[A-Z0-9]{16}$");

    private record Attachment(String id, String contentType, String name, String url, String category, byte[] bytes) {
    }

    private record Message(String subject, String markdown, String preconditionTitle, String preconditionMarkdown,
                           List<Attachment> attachments) {
    }

    private final String key;
    private final Map<String, Message> messages;
    private final byte[] pdf;
    private HttpServer server;
    private ExecutorService executor;
    private URI baseUrl;

    public DemoRemoteContentServer() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.key = HexFormat.of().formatHex(random);
        this.pdf = tariNoticePdf();
        this.messages = Map.of(
                TARI_MESSAGE_ID, new Message(
                        "Avviso di pagamento TARI 2026",
                        "Gentile contribuente,\n\nè disponibile l'avviso di pagamento della **Tassa sui rifiuti (TARI)**"
                                + " per l'anno 2026. Trovi l'avviso in allegato, con l'importo e le scadenze delle rate.\n\n"
                                + "Puoi pagare in app con pagoPA entro la data di scadenza indicata.",
                        "Prima di leggere l'avviso",
                        "Aprendo l'avviso ne confermi la **ricezione**: la data di apertura viene comunicata al Comune.",
                        List.of(new Attachment(TARI_ATTACHMENT_ID, "application/pdf", "Avviso TARI 2026.pdf",
                                TARI_ATTACHMENT_URL, "DOCUMENT", pdf))),
                LEGAL_NOTICE_MESSAGE_ID, new Message(
                        "Notifica di un atto amministrativo",
                        "Il Comune di Esempio ti ha notificato un atto amministrativo.\n\nL'atto ha valore legale,"
                                + " come una raccomandata con avviso di ricevimento: leggilo con attenzione e conservalo.",
                        "Questo messaggio contiene una comunicazione a valore legale",
                        "Aprendo il messaggio, la notifica si considera **perfezionata** nei tuoi confronti, come alla"
                                + " firma della ricevuta di ritorno di una raccomandata. Se non lo apri, la notifica si"
                                + " perfeziona comunque dopo 7 giorni.",
                        List.of()));
    }

    public synchronized void start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("remote-content server already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 0);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "remote-content");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        baseUrl = URI.create("http://" + host + ":" + created.getAddress().getPort());
    }

    /** Where the server listens ({@code http://host:port}); the contract's paths start with /messages. */
    public URI baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("remote-content server not started");
        }
        return baseUrl;
    }

    public String headerName() {
        return HEADER_NAME;
    }

    /** The key every request must carry in {@link #headerName()}. */
    public String key() {
        return key;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(exchange.getRequestMethod())) {
                problem(exchange, 405, "Method not allowed", "only GET is served");
                return;
            }
            String presented = exchange.getRequestHeaders().getFirst(HEADER_NAME);
            if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    key.getBytes(StandardCharsets.UTF_8))) {
                problem(exchange, 401, "Unauthorized", HEADER_NAME + ": required, the configured key");
                return;
            }
            String fiscalCode = exchange.getRequestHeaders().getFirst("fiscal_code");
            if (fiscalCode == null || !FISCAL_CODE.matcher(fiscalCode).matches()) {
                problem(exchange, 400, "Invalid request", "fiscal_code: required header, 16 upper-case characters");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith("/messages/")) {
                problem(exchange, 404, "Not found", "no such path");
                return;
            }
            String rest = path.substring("/messages/".length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            Message message = messages.get(id);
            if (message == null) {
                problem(exchange, 404, "Not found", "id: no message " + id);
                return;
            }
            if (slash < 0) {
                ObjectNode body = Json.object();
                ArrayNode attachments = body.putArray("attachments");
                for (Attachment attachment : message.attachments()) {
                    attachments.addObject().put("id", attachment.id()).put("content_type", attachment.contentType())
                            .put("name", attachment.name()).put("url", attachment.url())
                            .put("category", attachment.category());
                }
                body.putObject("details").put("subject", message.subject()).put("markdown", message.markdown());
                send(exchange, 200, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
                return;
            }
            String sub = rest.substring(slash + 1);
            if (sub.equals("precondition")) {
                ObjectNode body = Json.object();
                body.put("title", message.preconditionTitle());
                body.put("markdown", message.preconditionMarkdown());
                send(exchange, 200, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
                return;
            }
            for (Attachment attachment : message.attachments()) {
                if (attachment.url().equals(sub)) {
                    send(exchange, 200, attachment.contentType(), attachment.bytes());
                    return;
                }
            }
            problem(exchange, 404, "Not found", "attachment_url: no attachment " + sub + " in message " + id);
        }
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        ObjectNode body = Json.object();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        send(exchange, status, "application/problem+json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A one-page A4 TARI notice, made with PDFBox at start. */
    static byte[] tariNoticePdf() {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(bold, 18);
                text.newLineAtOffset(56, 770);
                text.showText("Comune di Esempio - Avviso di pagamento TARI 2026");
                text.setFont(regular, 12);
                text.setLeading(18);
                for (String line : List.of("", "Tassa sui rifiuti, anno 2026.", "Importo: 120,50 euro, in due rate.",
                        "Prima rata: 60,25 euro entro il 31 marzo 2026.", "Seconda rata: 60,25 euro entro il 30 settembre 2026.",
                        "", "Documento dimostrativo della piattaforma locale IO Serverless.")) {
                    text.newLine();
                    text.showText(line);
                }
                text.endText();
            }
            document.getDocumentInformation().setTitle("Avviso TARI 2026");
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("making the demo PDF", e);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }
}
