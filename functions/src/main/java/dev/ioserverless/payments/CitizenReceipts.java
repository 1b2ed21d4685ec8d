package dev.ioserverless.payments;

import java.util.Optional;

/** The citizen's side of the receipts: their list, and one receipt. */
public interface CitizenReceipts {

    /**
     * One page of the receipts whose list entries are the citizen's (as payer, as debtor, or both),
     * from one read of the citizen's own entries, never a scan. With a payer or debtor filter a page
     * may hold fewer than {@code size} receipts and still have a {@link ReceiptPage#next()}.
     */
    ReceiptPage page(String fiscalCode, ReceiptQuery query);

    /** The receipt with this id, whoever it concerns: the caller decides who may see it. */
    Optional<StoredReceipt> find(String receiptId);
}
