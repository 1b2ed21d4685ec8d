package dev.ioserverless.payments;

import dev.ioserverless.messages.NoticeReceipts;
import java.time.Instant;
import java.util.Optional;

/** Where receipts are kept: written once per receipt id, found by id or by notice. */
public interface ReceiptLedger extends NoticeReceipts {

    enum Recorded {
        /** Kept now. */
        NEW,
        /** The same receipt was kept before. */
        REPLAY,
        /** A different receipt was kept before under this id: nothing written. */
        CONFLICT
    }

    Recorded record(Receipt receipt, Instant receivedAt);

    Optional<StoredReceipt> find(String receiptId);
}
