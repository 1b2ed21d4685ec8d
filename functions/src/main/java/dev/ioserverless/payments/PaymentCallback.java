package dev.ioserverless.payments;

import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.NoticeReceipts;
import dev.ioserverless.messages.PaymentMarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a receipt from the payment platform does, once its signature is known good:
 *
 * <ol>
 *   <li>it is kept ({@link ReceiptLedger#record}), whether or not a message matches: the citizen's
 *       receipts list shows it either way;
 *   <li>every message of its notice (its rptId's partition, read strongly consistent after the
 *       receipt is written) is marked paid by it, once; the message's reminders stop in the same
 *       write. A message processed later finds the receipt there instead;
 *   <li>the receipt records the message it paid, and whether the amount paid differs from the
 *       notice's (flagged, never dropped).
 * </ol>
 *
 * A replay (the same receipt id and content) runs the same steps, which change nothing that is
 * done and finish what a crash left undone. A different receipt under a kept id is a 409.
 */
public final class PaymentCallback {
    private final ReceiptLedger receipts;
    private final PaymentMarks marks;

    public PaymentCallback(ReceiptLedger receipts, PaymentMarks marks) {
        this.receipts = receipts;
        this.marks = marks;
    }

    /**
     * @param recorded whether the receipt is new or a replay
     * @param messages the messages of the notice, all now paid (by this receipt or an earlier one)
     * @param newlyPaid how many this call marked paid
     * @param amountMismatch whether the amount paid differs from the notice's
     */
    public record Outcome(ReceiptLedger.Recorded recorded, List<String> messages, int newlyPaid, boolean amountMismatch) {
        public boolean matched() {
            return !messages.isEmpty();
        }
    }

    public Outcome accept(Receipt receipt, Instant now) {
        ReceiptLedger.Recorded recorded = receipts.record(receipt, now);
        if (recorded == ReceiptLedger.Recorded.CONFLICT) {
            throw new ProblemException(Problem.of(409, "Conflict",
                    "receipt_id: a different receipt with this id was received before"));
        }
        NoticeReceipts.Paid paid = new NoticeReceipts.Paid(receipt.receiptId(), receipt.paidAt(), receipt.amount());
        List<String> messages = new ArrayList<>();
        int newlyPaid = 0;
        boolean mismatch = false;
        PaymentMarks.Mark attached = null;
        for (NoticeReceipts.NoticeMessage message : receipts.messagesOf(receipt.rptId())) {
            String id = message.messageId();
            PaymentMarks.Mark mark = marks.markPaid(id, receipt.receiptId(), receipt.paidAt());
            if (mark == null) {
                continue;
            }
            messages.add(id);
            newlyPaid += mark.newlyPaid() ? 1 : 0;
            if (receipt.receiptId().equals(mark.receiptId()) && attached == null) {
                attached = mark;
            }
        }
        if (attached != null) {
            receipts.attach(paid, attached);
            mismatch = attached.paymentAmount() != null && attached.paymentAmount() != receipt.amount();
        }
        return new Outcome(recorded, List.copyOf(messages), newlyPaid, mismatch);
    }
}
