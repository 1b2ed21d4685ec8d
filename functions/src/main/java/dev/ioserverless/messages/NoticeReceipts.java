package dev.ioserverless.messages;

import java.time.Instant;
import java.util.Optional;

/**
 * The receipts of payment notices, as processing needs them: a message whose notice was paid
 * before the message arrived is born paid. Implemented by the payments capability.
 */
public interface NoticeReceipts {

    /** A receipt for the notice {@code rptId}, if one arrived. */
    Optional<Paid> receiptOf(String rptId);

    /** Records on the receipt that it paid this message (and whether the amounts differ); once. */
    void attach(Paid receipt, PaymentMarks.Mark message);

    record Paid(String receiptId, Instant paidAt, long amount) {
    }

    /** For tests and functions without payments: no notice was ever paid. */
    NoticeReceipts NONE = new NoticeReceipts() {
        @Override
        public Optional<Paid> receiptOf(String rptId) {
            return Optional.empty();
        }

        @Override
        public void attach(Paid receipt, PaymentMarks.Mark message) {
        }
    };
}
