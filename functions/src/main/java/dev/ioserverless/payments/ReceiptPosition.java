package dev.ioserverless.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place in a citizen's list of receipts, which is ordered by when each was paid and then by its
 * id: where a page ended, so that the next one starts just after it.
 */
public record ReceiptPosition(Instant paidAt, String receiptId) {
    /** The payment platform's receipt ids: 1 to 64 letters, digits or {@code _ . : -}. */
    public static final Pattern RECEIPT_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
    /**
     * The payment times a receipt may have: what the list orders, its continuation token encodes
     * (epoch milliseconds, never negative) and its views and PDF write as four-digit years.
     */
    public static final Instant EARLIEST_PAID_AT = Instant.EPOCH;
    public static final Instant LATEST_PAID_AT = Instant.parse("9999-12-31T23:59:59.999Z");

    public ReceiptPosition {
        Objects.requireNonNull(paidAt, "paidAt");
        Objects.requireNonNull(receiptId, "receiptId");
        if (!RECEIPT_ID.matcher(receiptId).matches()) {
            throw new IllegalArgumentException("not a receipt id");
        }
    }

    public static boolean isPaidAtInRange(Instant paidAt) {
        return !paidAt.isBefore(EARLIEST_PAID_AT) && !paidAt.isAfter(LATEST_PAID_AT);
    }

    public static boolean isReceiptId(String value) {
        return value != null && RECEIPT_ID.matcher(value).matches();
    }
}
