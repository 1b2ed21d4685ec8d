package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import java.io.IOException;
import java.util.Optional;

/**
 * The notice on the message-created queue: {@code {"message_id": "<ULID>"}}. It carries only the
 * id; the processor loads the message, so no content or fiscal code travels through SQS.
 */
public record MessageCreated(String messageId) {

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("message_id", messageId);
        return Json.write(node);
    }

    /** The notice in a queue message body; empty when the body is not one (not JSON, no ULID). */
    public static Optional<MessageCreated> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode id = node.get("message_id");
        if (id == null || !id.isTextual() || !Ulid.isValid(id.textValue())) {
            return Optional.empty();
        }
        return Optional.of(new MessageCreated(id.textValue()));
    }
}
