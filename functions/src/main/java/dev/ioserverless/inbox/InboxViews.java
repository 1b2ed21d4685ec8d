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
            enrich(node, sender, entry.messageTitle(), entry.rptId(), entry.hasAttachments(), entry.hasPrecondition());
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
        enrich(node, sender, message.content().subject(), rptId, message.content().hasAttachments(),
                message.content().precondition().applies());
        node.put("is_read", message.readAt() != null);
        node.put("is_archived", message.archived());
        return node;
    }

    private static void enrich(ObjectNode node, Senders.Sender sender, String title, String rptId, boolean hasAttachments,
                               boolean hasPrecondition) {
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
        node.put("has_precondition", hasPrecondition);
    }

    /**
     * Our own view of a message for the citizen ({@code /api/v2/messages/{id}}): IO's shape, plus
     * {@code payment} for a message with a payment notice: its amount, notice number, payee and due
     * date, whether it is PAID, NOT_PAID or EXPIRED and payable, and when paid, when and by which
     * receipt (the receipt's id opens it at {@code /api/v1/receipts/{id}}).
     */
    public static ObjectNode messageWithPayment(Message message, Senders.Sender sender, java.time.Instant now) {
        ObjectNode node = message(message, sender);
        PaymentData payment = message.content().paymentData();
        NoticeState state = NoticeState.of(message, now);
        if (payment == null || state == null) {
            return node;
        }
        ObjectNode view = node.putObject("payment");
        String payee = payment.hasPayee() ? payment.payeeFiscalCode() : sender.organizationFiscalCode();
        view.put("rpt_id", payee + payment.noticeNumber());
        view.put("notice_number", payment.noticeNumber());
        view.put("amount", payment.amount());
        ObjectNode payeeNode = view.putObject("payee");
        payeeNode.put("fiscal_code", payee);
        if (payee.equals(sender.organizationFiscalCode())) {
            payeeNode.put("name", sender.organizationName());
        }
        if (message.content().dueDate() != null) {
            view.put("due_date", Timestamps.format(message.content().dueDate()));
        }
        view.put("invalid_after_due_date", payment.invalidAfterDueDate());
        view.put("status", state.name());
        view.put("payable", state.payable());
        if (message.paidAt() != null) {
            view.put("paid_at", Timestamps.format(message.paidAt()));
        }
        if (message.receiptId() != null) {
            view.put("receipt_id", message.receiptId());
        }
        return node;
    }

    public static ObjectNode statusAttributes(InboxStore.StatusAttributes attributes) {
        ObjectNode node = Json.object();
        node.put("is_read", attributes.isRead());
        node.put("is_archived", attributes.isArchived());
        return node;
    }
}
