package dev.ioserverless.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The payment callback's body, checked field by field:
 * {@code {"receipt_id", "notice_number", "payee_fiscal_code", "amount", "paid_at",
 * "payer_fiscal_code"?, "debtor_fiscal_code"?, "payee_name"?, "psp_name"?, "payment_method"?,
 * "fee"?}}. Every fault is reported, each naming its field; properties not listed are ignored, so
 * the platform can add some without breaking the callback.
 */
public final class CallbackRequest {
    static final Pattern RECEIPT_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
    static final Pattern NOTICE_NUMBER = Pattern.compile("^[0-9]{18}$");
    public static final long MAX_AMOUNT = 9_999_999_999L;
    static final int MAX_TEXT = 140;

    private CallbackRequest() {
    }

    public static Receipt parse(JsonNode body) {
        List<String> errors = new ArrayList<>();
        String receiptId = text(body, "receipt_id", true, errors);
        if (receiptId != null && !RECEIPT_ID.matcher(receiptId).matches()) {
            errors.add("receipt_id: 1 to 64 letters, digits or _ . : -");
        }
        String noticeNumber = text(body, "notice_number", true, errors);
        if (noticeNumber != null && !NOTICE_NUMBER.matcher(noticeNumber).matches()) {
            errors.add("notice_number: must be 18 digits");
        }
        String payee = text(body, "payee_fiscal_code", true, errors);
        if (payee != null && !FiscalCode.isValidOrganization(payee)) {
            errors.add("payee_fiscal_code: must be the organization's 11-digit fiscal code");
        }
        Long amount = cents(body, "amount", true, 1, errors);
        Instant paidAt = null;
        String paidAtText = text(body, "paid_at", true, errors);
        if (paidAtText != null) {
            try {
                paidAt = OffsetDateTime.parse(paidAtText).toInstant();
                if (!ReceiptPosition.isPaidAtInRange(paidAt)) {
                    errors.add("paid_at: must be from " + ReceiptPosition.EARLIEST_PAID_AT + " to "
                            + ReceiptPosition.LATEST_PAID_AT);
                    paidAt = null;
                }
            } catch (DateTimeParseException e) {
                errors.add("paid_at: must be an ISO-8601 date-time with its offset, e.g. 2026-03-01T10:15:30Z");
            }
        }
        String payer = party(body, "payer_fiscal_code", errors);
        String debtor = party(body, "debtor_fiscal_code", errors);
        String payeeName = bounded(body, "payee_name", errors);
        String pspName = bounded(body, "psp_name", errors);
        String method = bounded(body, "payment_method", errors);
        Long fee = cents(body, "fee", false, 0, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return new Receipt(receiptId, noticeNumber, payee, amount, paidAt, payer, debtor, payeeName, pspName, method, fee);
    }

    private static String text(JsonNode body, String field, boolean required, List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(field + ": required");
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(field + ": must be a string");
            return null;
        }
        return node.asText();
    }

    private static String bounded(JsonNode body, String field, List<String> errors) {
        String value = text(body, field, false, errors);
        if (value != null && (value.isBlank() || value.length() > MAX_TEXT)) {
            errors.add(field + ": 1 to " + MAX_TEXT + " characters");
            return null;
        }
        return value;
    }

    /** A payer or debtor: a person's fiscal code (16 characters) or an organization's (11 digits). */
    private static String party(JsonNode body, String field, List<String> errors) {
        String value = text(body, field, false, errors);
        if (value != null && !FiscalCode.isValid(value) && !FiscalCode.isValidOrganization(value)) {
            errors.add(field + ": must be a fiscal code (16 characters, upper case) or an organization's 11 digits");
            return null;
        }
        return value;
    }

    private static Long cents(JsonNode body, String field, boolean required, long min, List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(field + ": required");
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > MAX_AMOUNT) {
            errors.add(field + ": must be an integer number of euro cents from " + min + " to " + MAX_AMOUNT);
            return null;
        }
        return node.asLong();
    }
}
