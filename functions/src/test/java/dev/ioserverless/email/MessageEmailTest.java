package dev.ioserverless.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageEmailTest {
    static MessageEmail.Facts facts(String subject, String markdown, boolean noticeOnly, String language) {
        return new MessageEmail.Facts(List.of(language), "TARI <Tassa>", "Comune di \"Esempio\"", subject, markdown,
                noticeOnly, "https://app.example/messages/01ARZ3NDEKTSV4RRFFQ69G5FAV");
    }

    @Test
    void theMarkdownIsRenderedWithRawHtmlEscapedAndOnlySafeLinks() {
        MessageEmail.Content email = MessageEmail.render(facts("Avviso <b>TARI</b> 2026",
                "**Importante**: <script>alert('x')</script> [paga](javascript:alert(1)) [sito](https://comune.example.it) "
                        + "<img src=x onerror=alert(1)> [dati](data:text/html;base64,PHNjcmlwdD4=)", false, "it_IT"));
        assertEquals("Avviso <b>TARI</b> 2026", email.subject(), "a mail subject is text, not HTML");
        String html = email.html();
        assertTrue(html.contains("<strong>Importante</strong>"), html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
        assertFalse(html.toLowerCase().contains("javascript:"), html);
        assertFalse(html.contains("data:text/html"), html);
        assertTrue(html.contains("href=\"https://comune.example.it\""), html);
        assertTrue(html.contains("Avviso &lt;b&gt;TARI&lt;/b&gt; 2026"), "the subject escaped in HTML: " + html);
        assertTrue(html.contains("TARI &lt;Tassa&gt; - Comune di &quot;Esempio&quot;"), html);
        assertTrue(email.text().contains("https://app.example/messages/01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertTrue(html.startsWith("<!DOCTYPE html><html lang=\"it\">"));
    }

    @Test
    void aNoticeOnlyEmailShowsNothingOfTheMessage() {
        MessageEmail.Content email = MessageEmail.render(facts("Verbale riservato", "Il contenuto riservato del verbale.",
                true, "en_GB"));
        assertEquals("You have a new message on IO", email.subject());
        assertFalse(email.text().contains("riservat"), email.text());
        assertFalse(email.html().contains("riservat"), email.html());
        assertTrue(email.html().contains("lang=\"en\""));
        assertTrue(email.text().contains("Open it in the app: https://app.example/messages/"));
    }
}
