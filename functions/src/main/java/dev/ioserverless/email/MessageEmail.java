package dev.ioserverless.email;

import java.util.List;
import java.util.Locale;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The email that notifies a message: a subject, a plain-text part and an HTML part, in the
 * citizen's language (Italian unless their first preferred language is English).
 *
 * <p>The HTML shows the service, the subject and the markdown rendered safely: raw HTML in the
 * markdown is escaped, not passed through, and links keep only http, https and mailto targets
 * ({@code javascript:} and the like become empty). Every text of ours or the sender's is escaped.
 * A message with a precondition or documents is notified by a notice only: no subject, no text,
 * just that a message is waiting in the app.
 */
public final class MessageEmail {
    private static final Parser PARSER = Parser.builder().build();
    /** Links keep only these targets; {@code javascript:}, {@code data:} and anything else become empty. */
    private static final List<String> LINK_PROTOCOLS = List.of("http", "https", "mailto");
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
            .urlSanitizer(new org.commonmark.renderer.html.DefaultUrlSanitizer(LINK_PROTOCOLS)).build();

    /** What the email says. */
    public record Content(String subject, String text, String html) {
    }

    /**
     * @param noticeOnly the message's content must not leave the app (a precondition, documents)
     * @param appLink where the app opens the message
     */
    public record Facts(List<String> preferredLanguages, String serviceName, String organizationName, String subject,
                        String markdown, boolean noticeOnly, String appLink) {
    }

    private MessageEmail() {
    }

    public static Content render(Facts facts) {
        boolean english = !facts.preferredLanguages().isEmpty()
                && facts.preferredLanguages().get(0).toLowerCase(Locale.ROOT).startsWith("en");
        String sender = facts.serviceName() + " - " + facts.organizationName();
        String subject;
        String intro;
        String open;
        if (facts.noticeOnly()) {
            subject = english ? "You have a new message on IO" : "Hai un nuovo messaggio su IO";
            intro = english ? sender + " sent you a message. For your protection its content is shown only in the app."
                    : sender + " ti ha inviato un messaggio. Per tutelarti, il contenuto è visibile solo in app.";
        } else {
            subject = facts.subject().replaceAll("[\\p{Cntrl}]", " ");
            intro = english ? sender + " sent you a message." : sender + " ti ha inviato un messaggio.";
        }
        open = english ? "Open it in the app" : "Aprilo in app";
        StringBuilder text = new StringBuilder(intro).append("\n\n");
        if (!facts.noticeOnly()) {
            text.append(facts.subject()).append("\n\n").append(facts.markdown()).append("\n\n");
        }
        text.append(open).append(": ").append(facts.appLink()).append('\n');

        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"").append(english ? "en" : "it")
                .append("\"><head><meta charset=\"utf-8\"><title>").append(escape(subject)).append("</title></head><body>")
                .append("<p>").append(escape(intro)).append("</p>");
        if (!facts.noticeOnly()) {
            html.append("<h1>").append(escape(facts.subject())).append("</h1>")
                    .append("<div>").append(RENDERER.render(PARSER.parse(facts.markdown()))).append("</div>");
        }
        html.append("<p><a href=\"").append(escape(facts.appLink())).append("\">").append(escape(open)).append("</a></p>")
                .append("</body></html>");
        return new Content(subject, text.toString(), html.toString());
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
