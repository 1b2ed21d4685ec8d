package dev.ioserverless.payments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The citizen's receipt as a one-page A4 PDF, in Italian as the app is: who paid what to whom and
 * when, the notice number, the PSP, the payment method and the receipt id.
 *
 * <p>The text is set in Liberation Sans, the font PDFBox carries, embedded as a subset, so any
 * name a payee has prints (a character the font lacks becomes {@code ?}), text extraction gets the
 * words back, and no font is looked up on the machine: PDFBox's standard fonts would scan the
 * system's fonts on first use and try to write a cache in the home directory, which a Lambda
 * function does not have.
 */
public final class ReceiptPdf {
    private static final ZoneId ROME = ZoneId.of("Europe/Rome");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm").withZone(ROME);
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 56;
    private static final float LABEL_WIDTH = 170;
    private static final float TEXT_SIZE = 10.5f;
    private static final float LEADING = 15;

    private ReceiptPdf() {
    }

    /** The font file, read once per container. */
    private static final class Font {
        static final byte[] BYTES = read();

        private static byte[] read() {
            try (InputStream in = ReceiptPdf.class.getResourceAsStream(FONT)) {
                if (in == null) {
                    throw new IllegalStateException("PDFBox's Liberation Sans is not on the class path");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static byte[] render(ReceiptDetail receipt) {
        try (PDDocument document = new PDDocument()) {
            PDFont font = PDType0Font.load(document, new RandomAccessReadBuffer(Font.BYTES), true, false);
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("Ricevuta di pagamento " + receipt.receiptId());
            info.setProducer("IO Serverless");
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                Writer writer = new Writer(content, font, page.getMediaBox().getHeight() - MARGIN,
                        page.getMediaBox().getWidth() - 2 * MARGIN);
                writer.heading("Ricevuta di pagamento", 20);
                writer.line("Pagamento di un avviso pagoPA", TEXT_SIZE);
                writer.space(LEADING);

                writer.heading("Il pagamento", 13);
                writer.row("Importo pagato", euros(receipt.amount()));
                if (receipt.fee() != null) {
                    writer.row("Commissione", euros(receipt.fee()));
                    writer.row("Totale", euros(receipt.total()));
                }
                writer.row("Data e ora", DATE.format(receipt.paidAt()) + " (ora italiana)");
                if (receipt.payer() != null) {
                    writer.row("Pagato da", party(receipt.payer()));
                }
                writer.row("Gestore del pagamento (PSP)", orNotGiven(receipt.pspName()));
                if (receipt.isPayer()) {
                    writer.row("Metodo di pagamento", orNotGiven(receipt.paymentMethod()));
                }
                writer.row("ID ricevuta", receipt.receiptId());
                writer.space(LEADING);

                writer.heading("Cosa hai pagato", 13);
                writer.row("Oggetto", receipt.subject());
                writer.row("Ente creditore", party(receipt.payee()));
                if (receipt.debtor() != null) {
                    writer.row("Debitore", party(receipt.debtor()));
                }
                writer.row("Codice avviso", receipt.noticeNumber());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Euro cents as an Italian reader writes them: {@code 1.234,50 €}. */
    static String euros(long cents) {
        String digits = Long.toString(Math.abs(cents) / 100);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                grouped.append('.');
            }
            grouped.append(digits.charAt(i));
        }
        long rest = Math.abs(cents) % 100;
        return (cents < 0 ? "-" : "") + grouped + "," + (rest < 10 ? "0" : "") + rest + " €";
    }

    private static String party(ReceiptDetail.Party party) {
        return party.name() == null ? party.taxCode() : party.name() + " (" + party.taxCode() + ")";
    }

    private static String orNotGiven(String value) {
        return value == null || value.isBlank() ? "non indicato" : value;
    }

    /** Lines down the page, a label column and a value column that wraps. */
    private static final class Writer {
        private final PDPageContentStream content;
        private final PDFont font;
        private final float width;
        private float y;

        Writer(PDPageContentStream content, PDFont font, float top, float width) {
            this.content = content;
            this.font = font;
            this.y = top;
            this.width = width;
        }

        void heading(String text, float size) throws IOException {
            y -= size * 1.2f;
            show(MARGIN, y, printable(text), size);
            y -= size * 0.4f;
        }

        void line(String text, float size) throws IOException {
            y -= LEADING;
            show(MARGIN, y, printable(text), size);
        }

        void space(float points) {
            y -= points;
        }

        void row(String label, String value) throws IOException {
            y -= LEADING;
            show(MARGIN, y, label, TEXT_SIZE);
            List<String> lines = wrap(printable(value), width - LABEL_WIDTH);
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    y -= LEADING;
                }
                show(MARGIN + LABEL_WIDTH, y, lines.get(i), TEXT_SIZE);
            }
        }

        private void show(float x, float at, String text, float size) throws IOException {
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, at);
            content.showText(text);
            content.endText();
        }

        /** Words onto lines no wider than {@code maxWidth}; a word wider than a line is cut. */
        private List<String> wrap(String text, float maxWidth) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate) <= maxWidth) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (width(rest) > maxWidth) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && width(rest.substring(0, cut)) > maxWidth) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            if (!line.isEmpty() || lines.isEmpty()) {
                lines.add(line.toString());
            }
            return lines;
        }

        private float width(String text) throws IOException {
            return font.getStringWidth(text) / 1000 * TEXT_SIZE;
        }

        /** The text on one line, each run of spaces and controls one space, each character the font lacks {@code ?}. */
        private String printable(String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(cp -> {
                if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                    out.append(' ');
                } else if (hasGlyph(cp)) {
                    out.appendCodePoint(cp);
                } else {
                    out.append('?');
                }
            });
            return out.toString().strip().replaceAll(" {2,}", " ");
        }

        private boolean hasGlyph(int codePoint) {
            try {
                font.encode(new String(Character.toChars(codePoint)));
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        }
    }
}
