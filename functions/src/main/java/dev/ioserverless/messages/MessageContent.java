package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;

/**
 * What a message says: IO's {@code MessageContent} with the fields this platform supports.
 *
 * @param dueDate null when not given
 * @param paymentData null when the message carries no payment notice
 * @param requireSecureChannels null when not given (IO then treats it as false)
 */
public record MessageContent(
        String subject, String markdown, Instant dueDate, PaymentData paymentData, Boolean requireSecureChannels) {

    public static final int SUBJECT_MIN = 10;
    public static final int SUBJECT_MAX = 120;
    public static final int MARKDOWN_MIN = 80;
    public static final int MARKDOWN_MAX = 10_000;

    public boolean secureChannelsRequired() {
        return Boolean.TRUE.equals(requireSecureChannels);
    }

    /** This content with the payment notice's payee set to {@code fiscalCode} where none was given. */
    public MessageContent withDefaultPayee(String fiscalCode) {
        if (paymentData == null || paymentData.hasPayee()) {
            return this;
        }
        return new MessageContent(subject, markdown, dueDate, paymentData.withPayee(fiscalCode), requireSecureChannels);
    }

    /**
     * The JSON form, as stored in the messages table and returned by the API: the fields given,
     * in a fixed order, with {@code due_date} as {@code 2018-10-13T00:00:00.000Z}.
     * {@link #fromJson} reads it back to an equal value.
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("subject", subject);
        node.put("markdown", markdown);
        if (dueDate != null) {
            node.put("due_date", Timestamps.format(dueDate));
        }
        if (paymentData != null) {
            ObjectNode payment = node.putObject("payment_data");
            payment.put("amount", paymentData.amount());
            payment.put("notice_number", paymentData.noticeNumber());
            payment.put("invalid_after_due_date", paymentData.invalidAfterDueDate());
            if (paymentData.hasPayee()) {
                payment.putObject("payee").put("fiscal_code", paymentData.payeeFiscalCode());
            }
        }
        if (requireSecureChannels != null) {
            node.put("require_secure_channels", requireSecureChannels.booleanValue());
        }
        return node;
    }

    /**
     * Validates a {@code content} object with the rules of {@link NewMessage#parse} (subject,
     * markdown, due date, payment data, secure channels; unknown fields dropped).
     *
     * @throws dev.ioserverless.common.ProblemException a 400 naming every invalid field
     */
    public static MessageContent parse(JsonNode node) {
        return NewMessage.parseContent(node);
    }

    /**
     * Reads content written by {@link #toJson} (for example from the messages table). It trusts
     * its input, which was validated on submission; requests go through {@link NewMessage#parse}.
     */
    public static MessageContent fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("stored message content is not a JSON object");
        }
        JsonNode due = node.get("due_date");
        JsonNode payment = node.get("payment_data");
        PaymentData paymentData = null;
        if (payment != null && payment.isObject()) {
            JsonNode payee = payment.path("payee").get("fiscal_code");
            paymentData = new PaymentData(
                    payment.path("amount").asLong(),
                    payment.path("notice_number").asText(),
                    payment.path("invalid_after_due_date").asBoolean(false),
                    payee == null || payee.isNull() ? null : payee.asText());
        }
        JsonNode secure = node.get("require_secure_channels");
        return new MessageContent(
                node.path("subject").asText(),
                node.path("markdown").asText(),
                due == null || due.isNull() ? null : Timestamps.parse(due.asText()),
                paymentData,
                secure == null || secure.isNull() ? null : secure.asBoolean());
    }
}
