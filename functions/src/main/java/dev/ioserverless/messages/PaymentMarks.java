package dev.ioserverless.messages;

import java.time.Instant;

/**
 * Marking a message of a payment notice paid: what the payment callback and processing (for a
 * message that arrives after its receipt) do to a message's status item.
 */
public interface PaymentMarks {

    /**
     * Marks one message paid by a receipt, once: {@code paid_at} and {@code receipt_id} are set only
     * if it has none, and its reminders stop.
     *
     * @return what the message is now, or null when there is no such message
     */
    Mark markPaid(String messageId, String receiptId, Instant paidAt);

    /**
     * @param newlyPaid whether this call paid it (false: it was paid already, by {@code receiptId})
     * @param receiptId the receipt it is paid by
     * @param paymentAmount the notice's amount as the message gave it, when known
     * @param title the message's subject
     */
    record Mark(String messageId, boolean newlyPaid, String receiptId, Long paymentAmount, String title) {
    }
}
