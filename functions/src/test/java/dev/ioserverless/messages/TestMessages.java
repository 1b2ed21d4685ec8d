package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Ulid;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Requests, messages and clocks for tests. */
public final class TestMessages {
    public static final Instant NOW = Instant.parse("2024-03-01T10:15:30.123Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String SUBJECT = "Avviso TARI 2024";
    public static final String MARKDOWN = "Gentile contribuente, è disponibile l'avviso di pagamento della tassa "
            + "rifiuti per l'anno 2024. Puoi pagarlo direttamente in app.";

    private TestMessages() {
    }

    public static Log log() {
        return new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    }

    /** A valid body: subject and markdown only. */
    public static ObjectNode body() {
        ObjectNode body = Json.object();
        ObjectNode content = body.putObject("content");
        content.put("subject", SUBJECT);
        content.put("markdown", MARKDOWN);
        return body;
    }

    public static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    public static Message accepted(String fiscalCode, String serviceId) {
        return Message.accepted(Ulid.of(NOW.toEpochMilli()), fiscalCode, serviceId, NOW, 3600,
                FeatureLevelType.STANDARD, new MessageContent(SUBJECT, MARKDOWN, null, null, null));
    }

    public static Message withStatus(Message message, MessageStatus status, RejectionReason reason) {
        return new Message(message.id(), message.fiscalCode(), message.senderServiceId(), message.createdAt(),
                message.timeToLive(), message.featureLevelType(), message.content(), status, reason, NOW);
    }
}
