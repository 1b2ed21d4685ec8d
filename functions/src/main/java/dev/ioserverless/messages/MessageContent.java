package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a message says: IO's {@code MessageContent} with the fields this platform supports.
 *
 * @param dueDate null when not given
 * @param paymentData null when the message carries no payment notice
 * @param requireSecureChannels null when not given (IO then treats it as false)
 * @param thirdPartyData null for a message that is all here
 * @param documents the documents the platform hosts for it, empty when none: in a request, the ids
 *     of {@code content.documents} only (our extension of IO's request); once submitted, each with
 *     its name, type and size, and then {@code thirdPartyData} is {@link ThirdPartyData#hosted}
 */
public record MessageContent(
        String subject, String markdown, Instant dueDate, PaymentData paymentData, Boolean requireSecureChannels,
        ThirdPartyData thirdPartyData, List<HostedDocument> documents) {

    public static final int SUBJECT_MIN = 10;
    public static final int SUBJECT_MAX = 120;
    public static final int MARKDOWN_MIN = 80;
    public static final int MARKDOWN_MAX = 10_000;

    /** IO's maximum of documents per message, for those the platform hosts. */
    public static final int MAX_DOCUMENTS = 10;

    public MessageContent {
        documents = documents == null ? List.of() : List.copyOf(documents);
    }

    /** Content without third-party data or documents. */
    public MessageContent(String subject, String markdown, Instant dueDate, PaymentData paymentData,
                          Boolean requireSecureChannels) {
        this(subject, markdown, dueDate, paymentData, requireSecureChannels, null, List.of());
    }

    public boolean secureChannelsRequired() {
        return Boolean.TRUE.equals(requireSecureChannels);
    }

    /** The precondition the citizen sees before this message's content; NEVER without third-party data. */
    public HasPrecondition precondition() {
        return thirdPartyData == null ? HasPrecondition.NEVER : thirdPartyData.precondition();
    }

    public boolean hasAttachments() {
        return thirdPartyData != null && thirdPartyData.hasAttachments();
    }

    /**
     * Whether every push of this message must be anonymous (no sender, no subject), whatever the
     * citizen's profile says: when it requires secure channels, and when a precondition stands
     * before its content (a legal notice must not be read from the lock screen before it is accepted).
     */
    public boolean anonymousPush() {
        return secureChannelsRequired() || precondition().applies();
    }

    /** This content with its third-party data and documents resolved at submission. */
    public MessageContent withThirdParty(ThirdPartyData data, List<HostedDocument> resolved) {
        return new MessageContent(subject, markdown, dueDate, paymentData, requireSecureChannels, data, resolved);
    }

    /** This content with the payment notice's payee set to {@code fiscalCode} where none was given. */
    public MessageContent withDefaultPayee(String fiscalCode) {
        if (paymentData == null || paymentData.hasPayee()) {
            return this;
        }
        return new MessageContent(subject, markdown, dueDate, paymentData.withPayee(fiscalCode), requireSecureChannels,
                thirdPartyData, documents);
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
        if (thirdPartyData != null) {
            node.set("third_party_data", thirdPartyData.toJson());
        }
        return node;
    }

    /** What the messages table keeps: {@link #toJson} and the hosted documents under {@code documents}. */
    public ObjectNode toStoredJson() {
        ObjectNode node = toJson();
        if (!documents.isEmpty()) {
            var list = node.putArray("documents");
            documents.forEach(d -> list.add(d.toJson()));
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
     * Reads content written by {@link #toJson} or {@link #toStoredJson} (for example from the messages table). It trusts
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
        JsonNode thirdParty = node.get("third_party_data");
        List<HostedDocument> documents = new ArrayList<>();
        node.path("documents").forEach(d -> documents.add(HostedDocument.fromJson(d)));
        return new MessageContent(
                node.path("subject").asText(),
                node.path("markdown").asText(),
                due == null || due.isNull() ? null : Timestamps.parse(due.asText()),
                paymentData,
                secure == null || secure.isNull() ? null : secure.asBoolean(),
                thirdParty == null || !thirdParty.isObject() ? null : ThirdPartyData.fromJson(thirdParty),
                documents);
    }
}
