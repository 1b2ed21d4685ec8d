package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;

/**
 * IO's {@code ThirdPartyData}: how the app reaches the rest of a message that lives elsewhere,
 * at the sending body's server (remote content) or in this platform's documents bucket (hosted
 * documents, where {@code id} is the message's own id).
 *
 * @param id the message's id at the body's server
 * @param originalSender who sent it originally; null when not given
 * @param originalReceiptDate when it was originally received; null when not given
 * @param hasPrecondition null when not given (the configuration's then applies)
 * @param summary null when not given
 * @param configurationId the remote-content configuration that serves it; null for hosted documents
 */
public record ThirdPartyData(String id, String originalSender, Instant originalReceiptDate, boolean hasAttachments,
                             boolean hasRemoteContent, HasPrecondition hasPrecondition, String summary,
                             String configurationId) {

    public static final int ID_MAX = 1000;
    public static final int TEXT_MAX = 1000;

    /** The third-party data the platform sets for a message whose documents it hosts. */
    public static ThirdPartyData hosted(String messageId) {
        return new ThirdPartyData(messageId, null, null, true, false, HasPrecondition.NEVER, null, null);
    }

    /** Whether this message's documents are in the platform's bucket rather than at a body's server. */
    public boolean hosted() {
        return configurationId == null;
    }

    /** The precondition that applies: the message's own, NEVER when it named none. */
    public HasPrecondition precondition() {
        return hasPrecondition == null ? HasPrecondition.NEVER : hasPrecondition;
    }

    /** This data served by {@code configuration}, whose precondition applies when the message named none. */
    public ThirdPartyData resolvedWith(String configuration, HasPrecondition configurationPrecondition) {
        return new ThirdPartyData(id, originalSender, originalReceiptDate, hasAttachments, hasRemoteContent,
                hasPrecondition != null ? hasPrecondition : configurationPrecondition, summary, configuration);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        if (originalSender != null) {
            node.put("original_sender", originalSender);
        }
        if (originalReceiptDate != null) {
            node.put("original_receipt_date", Timestamps.format(originalReceiptDate));
        }
        node.put("has_attachments", hasAttachments);
        node.put("has_remote_content", hasRemoteContent);
        node.put("has_precondition", precondition().name());
        if (summary != null) {
            node.put("summary", summary);
        }
        if (configurationId != null) {
            node.put("configuration_id", configurationId);
        }
        return node;
    }

    /** Reads what {@link #toJson} wrote (stored content, trusted). */
    public static ThirdPartyData fromJson(JsonNode node) {
        JsonNode receipt = node.get("original_receipt_date");
        return new ThirdPartyData(
                node.path("id").asText(),
                text(node, "original_sender"),
                receipt == null || receipt.isNull() ? null : Timestamps.parse(receipt.asText()),
                node.path("has_attachments").asBoolean(false),
                node.path("has_remote_content").asBoolean(false),
                HasPrecondition.fromName(node.path("has_precondition").asText()).orElse(null),
                text(node, "summary"),
                text(node, "configuration_id"));
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
