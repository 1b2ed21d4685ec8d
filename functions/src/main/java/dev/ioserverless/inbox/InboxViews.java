package dev.ioserverless.inbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.PaymentData;

/**
 * The citizen API's message shapes, with exactly the properties of IO's schemas: the plain list
 * item ({@code CreatedMessageWithoutContent}), the enriched one ({@code EnrichedMessage}) and the
 * enriched message with content ({@code CreatedMessageWithContentAndEnrichedData}), which also
 * satisfies the plain {@code CreatedMessageWithContent}.
 */
public final class InboxViews {
    private InboxViews() {
    }

    public static ObjectNode listItem(InboxEntry entry, Senders.Sender sender) {
        ObjectNode node = Json.object();
        node.put("id", entry.id());
        node.put("fiscal_code", entry.fiscalCode());
        node.put("time_to_live", entry.timeToLive());
        node.put("created_at", Timestamps.format(entry.createdAt()));
        node.put("sender_service_id", entry.senderServiceId());
        if (sender != null) {
            enrich(node, sender, entry.messageTitle(), entry.rptId(), entry.hasAttachments());
            node.put("is_read", entry.isRead());
            node.put("is_archived", entry.isArchived());
        }
        return node;
    }

    public static ObjectNode message(Message message, Senders.Sender sender) {
        ObjectNode node = Json.object();
        node.put("id", message.id());
        node.put("fiscal_code", message.fiscalCode());
        node.put("time_to_live", message.timeToLive());
        node.put("created_at", Timestamps.format(message.createdAt()));
        node.set("content", message.content().toJson());
        node.put("sender_service_id", message.senderServiceId());
        PaymentData payment = message.content().paymentData();
        String rptId = payment != null && payment.hasPayee() ? payment.payeeFiscalCode() + payment.noticeNumber() : null;
        enrich(node, sender, message.content().subject(), rptId, false);
        node.put("is_read", message.readAt() != null);
        node.put("is_archived", message.archived());
        return node;
    }

    private static void enrich(ObjectNode node, Senders.Sender sender, String title, String rptId, boolean hasAttachments) {
        node.put("service_name", sender.serviceName());
        node.put("organization_name", sender.organizationName());
        node.put("organization_fiscal_code", sender.organizationFiscalCode());
        node.put("message_title", title);
        ObjectNode category = node.putObject("category");
        if (rptId != null) {
            category.put("tag", "PAYMENT");
            category.put("rptId", rptId);
        } else {
            category.put("tag", "GENERIC");
        }
        node.put("has_attachments", hasAttachments);
    }

    public static ObjectNode statusAttributes(InboxStore.StatusAttributes attributes) {
        ObjectNode node = Json.object();
        node.put("is_read", attributes.isRead());
        node.put("is_archived", attributes.isArchived());
        return node;
    }
}
