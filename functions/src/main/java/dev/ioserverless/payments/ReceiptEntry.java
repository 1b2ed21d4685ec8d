package dev.ioserverless.payments;

import java.time.Instant;

/**
 * One receipt as the citizen's list shows it (pagoPA's paid-notices list item).
 *
 * @param receiptId the receipt's id, which the app calls {@code eventId}
 * @param payeeName the organization paid, when the payment platform named it
 * @param amount euro cents paid, the fee excluded
 * @param isPayer whether the citizen paid it
 * @param isDebtor whether the debt was the citizen's
 */
public record ReceiptEntry(String receiptId, String payeeFiscalCode, String payeeName, long amount, Instant paidAt,
                           boolean isPayer, boolean isDebtor) {

    public ReceiptPosition position() {
        return new ReceiptPosition(paidAt, receiptId);
    }
}
