package dev.ioserverless.payments;

/**
 * What a page of the citizen's receipts holds.
 *
 * @param size at most this many receipts, 1 to {@link #MAX_SIZE}
 * @param after the page starts just after this position; null for the first page
 * @param newestFirst by payment time, newest first (pagoPA's {@code ordering=DESC}, the default)
 *     or oldest first
 * @param isPayer only the receipts the citizen paid (true) or did not pay (false); null for both
 * @param isDebtor likewise for the receipts whose debt was the citizen's
 */
public record ReceiptQuery(int size, ReceiptPosition after, boolean newestFirst, Boolean isPayer, Boolean isDebtor) {
    public static final int DEFAULT_SIZE = 10;
    public static final int MAX_SIZE = 100;

    public ReceiptQuery {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size " + size);
        }
    }

    public boolean filtered() {
        return isPayer != null || isDebtor != null;
    }
}
