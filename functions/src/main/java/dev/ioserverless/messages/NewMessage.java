package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message a service asks to send: IO's {@code NewMessage}, validated.
 *
 * <p>{@link #parse} applies IO's rules to a request body and reports every broken rule in one
 * 400 problem whose detail names each field and rule, e.g.
 * {@code content.subject: must be 10 to 120 characters}. Details never repeat the submitted
 * values (they may be personal data).
 *
 * <ul>
 *   <li>{@code fiscal_code}: the recipient, either in the path ({@code POST /messages/{fiscal_code}})
 *       or in the body ({@code POST /messages}), exactly one of the two.
 *   <li>{@code time_to_live}: integer 3600 to 604800 seconds, default 3600.
 *   <li>{@code feature_level_type}: STANDARD (default) or ADVANCED.
 *   <li>{@code content}: object, required.
 *   <li>{@code content.subject}: string of 10 to 120 characters, required.
 *   <li>{@code content.markdown}: string of 80 to 10000 characters, required.
 *   <li>{@code content.due_date}: ISO-8601 timestamp in UTC, {@code 2018-10-13T00:00:00.000Z};
 *       as in IO the {@code Z} may be left out (the time is UTC either way) and the fraction has
 *       1 to 9 digits, kept to the millisecond.
 *   <li>{@code content.payment_data}: object with {@code amount} (integer 1 to 9999999999 euro
 *       cents, required), {@code notice_number} (string {@code ^[0123][0-9]{17}$}, required),
 *       {@code invalid_after_due_date} (boolean, default false) and {@code payee} (object with
 *       {@code fiscal_code}, 11 digits, required in it).
 *   <li>{@code content.require_secure_channels}: boolean.
 *   <li>{@code content.third_party_data}: IO's {@code ThirdPartyData}, an object with {@code id}
 *       (string of 1 to 1000 characters, required), {@code original_sender} and {@code summary}
 *       (strings of 1 to 1000), {@code original_receipt_date} (timestamp as {@code due_date}),
 *       {@code has_attachments} and {@code has_remote_content} (booleans, default false),
 *       {@code has_precondition} (ALWAYS, ONCE or NEVER) and {@code configuration_id} (a ULID).
 *   <li>{@code content.documents}: our extension, the ids of 1 to 10 distinct documents uploaded
 *       through {@code POST /api/v1/documents}; not together with {@code third_party_data}, which
 *       the platform then sets itself.
 * </ul>
 *
 * Lengths count UTF-16 code units, as IO (JavaScript) does. An integer may be written as a
 * JSON number with a zero fraction ({@code 3600.0}), which JSON does not distinguish from
 * {@code 3600}; {@code 12.5} is not an integer. A known field present with another JSON type,
 * {@code null} included, is an error; unknown fields are ignored and not kept.
 */
public record NewMessage(String fiscalCode, int timeToLive, FeatureLevelType featureLevelType, MessageContent content) {

    public static final int TIME_TO_LIVE_MIN = 3600;
    public static final int TIME_TO_LIVE_MAX = 604_800;
    public static final int TIME_TO_LIVE_DEFAULT = 3600;

    private static final Pattern NOTICE_NUMBER = Pattern.compile(PaymentData.NOTICE_NUMBER_PATTERN);
    private static final Pattern UTC_TIMESTAMP = Pattern.compile(
            "^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?Z?$");

    /**
     * Validates a request body.
     *
     * @param body the request's JSON object
     * @param pathFiscalCode the recipient from the path, or null when the route has none
     * @throws ProblemException a 400 naming every invalid field
     */
    public static NewMessage parse(JsonNode body, String pathFiscalCode) {
        Reader reader = new Reader();
        String fiscalCode = reader.fiscalCode(body, pathFiscalCode);
        BigInteger ttl = reader.integer(body, "time_to_live", "time_to_live", false);
        int timeToLive = TIME_TO_LIVE_DEFAULT;
        if (ttl != null) {
            if (inRange(ttl, TIME_TO_LIVE_MIN, TIME_TO_LIVE_MAX)) {
                timeToLive = ttl.intValueExact();
            } else {
                reader.error("time_to_live", "must be between " + TIME_TO_LIVE_MIN + " and " + TIME_TO_LIVE_MAX);
            }
        }
        FeatureLevelType featureLevelType = FeatureLevelType.STANDARD;
        String level = reader.text(body, "feature_level_type", "feature_level_type", false);
        if (level != null) {
            featureLevelType = FeatureLevelType.fromName(level).orElse(null);
            if (featureLevelType == null) {
                reader.error("feature_level_type", "must be one of STANDARD, ADVANCED");
            }
        }
        MessageContent content = null;
        JsonNode contentNode = reader.object(body, "content", "content", true);
        if (contentNode != null) {
            content = reader.content(contentNode);
        }
        reader.throwIfInvalid();
        return new NewMessage(fiscalCode, timeToLive, featureLevelType, content);
    }

    /** Validates a {@code content} object alone; see {@link MessageContent#parse}. */
    static MessageContent parseContent(JsonNode node) {
        Reader reader = new Reader();
        if (node == null || !node.isObject()) {
            reader.error("content", "must be an object");
            reader.throwIfInvalid();
        }
        MessageContent content = reader.content(node);
        reader.throwIfInvalid();
        return content;
    }

    private static boolean inRange(BigInteger value, long min, long max) {
        return value.compareTo(BigInteger.valueOf(min)) >= 0 && value.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    /** Reads fields and collects every rule they break. */
    private static final class Reader {
        private final List<String> errors = new ArrayList<>();

        void error(String path, String rule) {
            errors.add(path + ": " + rule);
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
            }
        }

        String fiscalCode(JsonNode body, String pathFiscalCode) {
            boolean inBody = body.has("fiscal_code");
            if (pathFiscalCode != null && inBody) {
                error("fiscal_code", "must be given either in the path or in the body, not both");
                return null;
            }
            if (pathFiscalCode == null && !inBody) {
                error("fiscal_code", "required, in the path or in the body");
                return null;
            }
            String value = pathFiscalCode != null ? pathFiscalCode : text(body, "fiscal_code", "fiscal_code", true);
            if (value != null && !FiscalCode.isValid(value)) {
                error("fiscal_code", "must be a valid fiscal code matching " + FiscalCode.PATTERN);
                return null;
            }
            return value;
        }

        MessageContent content(JsonNode node) {
            String subject = text(node, "subject", "content.subject", true);
            if (subject != null && !lengthWithin(subject, MessageContent.SUBJECT_MIN, MessageContent.SUBJECT_MAX)) {
                error("content.subject", "must be " + MessageContent.SUBJECT_MIN + " to "
                        + MessageContent.SUBJECT_MAX + " characters");
            }
            String markdown = text(node, "markdown", "content.markdown", true);
            if (markdown != null && !lengthWithin(markdown, MessageContent.MARKDOWN_MIN, MessageContent.MARKDOWN_MAX)) {
                error("content.markdown", "must be " + MessageContent.MARKDOWN_MIN + " to "
                        + MessageContent.MARKDOWN_MAX + " characters");
            }
            Instant dueDate = null;
            String due = text(node, "due_date", "content.due_date", false);
            if (due != null) {
                dueDate = utcTimestamp(due);
                if (dueDate == null) {
                    error("content.due_date", "must be an ISO-8601 UTC timestamp such as 2018-10-13T00:00:00.000Z");
                }
            }
            PaymentData paymentData = null;
            JsonNode payment = object(node, "payment_data", "content.payment_data", false);
            if (payment != null) {
                paymentData = paymentData(payment);
            }
            Boolean requireSecureChannels = bool(node, "require_secure_channels", "content.require_secure_channels");
            ThirdPartyData thirdParty = null;
            JsonNode thirdPartyNode = object(node, "third_party_data", "content.third_party_data", false);
            if (thirdPartyNode != null) {
                thirdParty = thirdPartyData(thirdPartyNode);
            }
            List<HostedDocument> documents = documents(node);
            if (thirdPartyNode != null && node.has("documents")) {
                error("content.documents", "cannot be given with content.third_party_data: the platform sets it for hosted documents");
            }
            return new MessageContent(subject, markdown, dueDate, paymentData, requireSecureChannels, thirdParty, documents);
        }

        ThirdPartyData thirdPartyData(JsonNode node) {
            String path = "content.third_party_data.";
            String id = boundedText(node, "id", path + "id", true, ThirdPartyData.ID_MAX);
            String originalSender = boundedText(node, "original_sender", path + "original_sender", false,
                    ThirdPartyData.TEXT_MAX);
            Instant receipt = null;
            String receiptText = text(node, "original_receipt_date", path + "original_receipt_date", false);
            if (receiptText != null) {
                receipt = utcTimestamp(receiptText);
                if (receipt == null) {
                    error(path + "original_receipt_date", "must be an ISO-8601 UTC timestamp such as 2018-10-13T00:00:00.000Z");
                }
            }
            Boolean attachments = bool(node, "has_attachments", path + "has_attachments");
            Boolean remote = bool(node, "has_remote_content", path + "has_remote_content");
            HasPrecondition precondition = null;
            String preconditionText = text(node, "has_precondition", path + "has_precondition", false);
            if (preconditionText != null) {
                precondition = HasPrecondition.fromName(preconditionText).orElse(null);
                if (precondition == null) {
                    error(path + "has_precondition", "must be one of ALWAYS, ONCE, NEVER");
                }
            }
            String summary = boundedText(node, "summary", path + "summary", false, ThirdPartyData.TEXT_MAX);
            String configuration = text(node, "configuration_id", path + "configuration_id", false);
            if (configuration != null && !dev.ioserverless.common.Ulid.isValid(configuration)) {
                error(path + "configuration_id", "must be a ULID");
                configuration = null;
            }
            return new ThirdPartyData(id, originalSender, receipt, Boolean.TRUE.equals(attachments),
                    Boolean.TRUE.equals(remote), precondition, summary, configuration);
        }

        List<HostedDocument> documents(JsonNode node) {
            JsonNode list = node.get("documents");
            if (list == null) {
                return List.of();
            }
            if (!list.isArray() || list.isEmpty() || list.size() > MessageContent.MAX_DOCUMENTS) {
                error("content.documents", "must be an array of 1 to " + MessageContent.MAX_DOCUMENTS + " document ids");
                return List.of();
            }
            List<HostedDocument> documents = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                if (!item.isTextual() || !dev.ioserverless.common.Ulid.isValid(item.textValue())) {
                    error("content.documents[" + i + "]", "must be a document id from POST /api/v1/documents");
                } else if (!seen.add(item.textValue())) {
                    error("content.documents[" + i + "]", "names a document already listed");
                } else {
                    documents.add(new HostedDocument(item.textValue(), null, null, -1));
                }
            }
            return documents;
        }

        String boundedText(JsonNode parent, String name, String path, boolean required, int max) {
            String value = text(parent, name, path, required);
            if (value != null && !lengthWithin(value, 1, max)) {
                error(path, "must be 1 to " + max + " characters");
                return null;
            }
            return value;
        }

        PaymentData paymentData(JsonNode node) {
            String path = "content.payment_data.";
            BigInteger amount = integer(node, "amount", path + "amount", true);
            if (amount != null && !inRange(amount, PaymentData.MIN_AMOUNT, PaymentData.MAX_AMOUNT)) {
                error(path + "amount", "must be between " + PaymentData.MIN_AMOUNT + " and " + PaymentData.MAX_AMOUNT
                        + " (euro cents)");
                amount = null;
            }
            String noticeNumber = text(node, "notice_number", path + "notice_number", true);
            if (noticeNumber != null && !NOTICE_NUMBER.matcher(noticeNumber).matches()) {
                error(path + "notice_number", "must match " + PaymentData.NOTICE_NUMBER_PATTERN);
                noticeNumber = null;
            }
            Boolean invalidAfterDueDate = bool(node, "invalid_after_due_date", path + "invalid_after_due_date");
            String payeeFiscalCode = null;
            JsonNode payee = object(node, "payee", path + "payee", false);
            if (payee != null) {
                payeeFiscalCode = text(payee, "fiscal_code", path + "payee.fiscal_code", true);
                if (payeeFiscalCode != null && !FiscalCode.isValidOrganization(payeeFiscalCode)) {
                    error(path + "payee.fiscal_code", "must be 11 digits");
                    payeeFiscalCode = null;
                }
            }
            if (amount == null || noticeNumber == null) {
                return null;
            }
            return new PaymentData(amount.longValueExact(), noticeNumber,
                    Boolean.TRUE.equals(invalidAfterDueDate), payeeFiscalCode);
        }

        /** The string at {@code name}; null when absent (an error if required) or not a string (an error). */
        String text(JsonNode parent, String name, String path, boolean required) {
            JsonNode node = parent.get(name);
            if (node == null) {
                if (required) {
                    error(path, "required");
                }
                return null;
            }
            if (!node.isTextual()) {
                error(path, "must be a string");
                return null;
            }
            return node.textValue();
        }

        JsonNode object(JsonNode parent, String name, String path, boolean required) {
            JsonNode node = parent.get(name);
            if (node == null) {
                if (required) {
                    error(path, "required");
                }
                return null;
            }
            if (!node.isObject()) {
                error(path, "must be an object");
                return null;
            }
            return node;
        }

        Boolean bool(JsonNode parent, String name, String path) {
            JsonNode node = parent.get(name);
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                error(path, "must be a boolean");
                return null;
            }
            return node.booleanValue();
        }

        BigInteger integer(JsonNode parent, String name, String path, boolean required) {
            JsonNode node = parent.get(name);
            if (node == null) {
                if (required) {
                    error(path, "required");
                }
                return null;
            }
            BigInteger value = integralValue(node);
            if (value == null) {
                error(path, "must be an integer");
            }
            return value;
        }

        private static BigInteger integralValue(JsonNode node) {
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue();
            }
            if (!node.isFloatingPointNumber()) {
                return null;
            }
            if (node.isBigDecimal()) {
                try {
                    return node.decimalValue().toBigIntegerExact();
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value) || value != Math.rint(value)) {
                return null;
            }
            return new BigDecimal(value).toBigIntegerExact();
        }

        private static boolean lengthWithin(String value, int min, int max) {
            return value.length() >= min && value.length() <= max;
        }

        private static Instant utcTimestamp(String text) {
            Matcher m = UTC_TIMESTAMP.matcher(text);
            if (!m.matches()) {
                return null;
            }
            String fraction = m.group(7) == null ? "" : m.group(7);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
            try {
                return LocalDateTime.of(
                                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                                nanos)
                        .toInstant(ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }
}
