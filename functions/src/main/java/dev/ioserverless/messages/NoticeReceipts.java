package dev.ioserverless.messages;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A payment notice's receipts and messages, as processing and the citizen's payment views need
 * them: a message whose notice was paid before it arrived is born paid. Implemented by the
 * payments capability, whose table holds, per notice, its receipts and the messages that carry it.
 */
public interface NoticeReceipts {

    /**
     * Records that the message carries the notice {@code rptId} (once; a repeat changes nothing),
     * then answers the notice's earliest receipt, if one arrived. Read after the record is written,
     * strongly consistent: a receipt that arrives later finds the message instead.
     */
    Optional<Paid> register(String rptId, String messageId, String fiscalCode);

    /** The messages recorded as carrying the notice, with their recipients. */
    List<NoticeMessage> messagesOf(String rptId);

    /** Records on the receipt that it paid this message (and whether the amounts differ); once. */
    void attach(Paid receipt, PaymentMarks.Mark message);

    record Paid(String receiptId, Instant paidAt, long amount) {
    }

    record NoticeMessage(String messageId, String fiscalCode) {
    }

    /** For tests and functions without payments: no notice was ever paid. */
    NoticeReceipts NONE = new NoticeReceipts() {
        @Override
        public Optional<Paid> register(String rptId, String messageId, String fiscalCode) {
            return Optional.empty();
        }

        @Override
        public List<NoticeMessage> messagesOf(String rptId) {
            return List.of();
        }

        @Override
        public void attach(Paid receipt, PaymentMarks.Mark message) {
        }
    };
}
