package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;

/**
 * A document the platform hosts for a message: uploaded by the sender, checked at submission,
 * then kept in the documents bucket under the message. Its id is also its attachment's
 * {@code url} on the citizen API.
 *
 * @param contentType application/pdf, image/png or image/jpeg, as its first bytes showed
 * @param size its length in bytes
 */
public record HostedDocument(String id, String name, String contentType, long size) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("name", name);
        node.put("content_type", contentType);
        node.put("size", size);
        return node;
    }

    public static HostedDocument fromJson(JsonNode node) {
        return new HostedDocument(node.path("id").asText(), node.path("name").asText(),
                node.path("content_type").asText(), node.path("size").asLong());
    }
}
