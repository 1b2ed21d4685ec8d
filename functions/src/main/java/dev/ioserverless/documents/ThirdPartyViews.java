package dev.ioserverless.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.HostedDocument;
import dev.ioserverless.messages.Message;
import java.util.List;

/**
 * The citizen API's third-party shapes, with exactly IO's properties:
 * {@code ThirdPartyMessageWithContent} (IO's {@code CreatedMessageWithContent} plus
 * {@code third_party_message}: {@code attachments}, each {@code ThirdPartyAttachment}, and the
 * free-form {@code details} a body's server gave) and {@code ThirdPartyMessagePrecondition}.
 */
public final class ThirdPartyViews {
    private ThirdPartyViews() {
    }

    /** A message whose documents the platform hosts: each attachment's id and url are the document's id. */
    public static ObjectNode hosted(Message message) {
        ObjectNode thirdParty = Json.object();
        ArrayNode attachments = thirdParty.putArray("attachments");
        for (HostedDocument document : message.content().documents()) {
            ObjectNode node = attachments.addObject();
            node.put("id", document.id());
            node.put("content_type", document.contentType());
            node.put("name", document.name());
            node.put("url", document.id());
            node.put("category", ThirdPartyAttachment.DEFAULT_CATEGORY);
        }
        return withContent(message, thirdParty);
    }

    /** A message whose details and attachments its body's server gave. */
    public static ObjectNode remote(Message message, ThirdPartyDetails details) {
        ObjectNode thirdParty = Json.object();
        ArrayNode attachments = thirdParty.putArray("attachments");
        List<ThirdPartyAttachment> list = details.attachments();
        for (ThirdPartyAttachment attachment : list) {
            ObjectNode node = attachments.addObject();
            node.put("id", attachment.id());
            if (attachment.contentType() != null) {
                node.put("content_type", attachment.contentType());
            }
            if (attachment.name() != null) {
                node.put("name", attachment.name());
            }
            node.put("url", attachment.url());
            node.put("category", attachment.category() == null ? ThirdPartyAttachment.DEFAULT_CATEGORY : attachment.category());
        }
        if (details.details() != null) {
            thirdParty.set("details", details.details());
        }
        return withContent(message, thirdParty);
    }

    public static ObjectNode precondition(ThirdPartyPrecondition precondition) {
        ObjectNode node = Json.object();
        node.put("title", precondition.title());
        node.put("markdown", precondition.markdown());
        return node;
    }

    private static ObjectNode withContent(Message message, ObjectNode thirdParty) {
        ObjectNode node = Json.object();
        node.put("id", message.id());
        node.put("fiscal_code", message.fiscalCode());
        node.put("time_to_live", message.timeToLive());
        node.put("created_at", Timestamps.format(message.createdAt()));
        node.set("content", message.content().toJson());
        node.put("sender_service_id", message.senderServiceId());
        node.set("third_party_message", thirdParty);
        return node;
    }
}
