package dev.ioserverless.payments;

import java.time.Instant;

/**
 * A receipt as kept, with what matching it to a message added.
 *
 * @param receipt what the payment platform sent
 * @param receivedAt when it first arrived
 * @param messageId the message of the notice it paid, once one matched (the first, if several)
 * @param subject that message's subject, which receipts show as what was paid
 * @param expectedAmount the notice's amount as the message gave it, once one matched
 * @param amountMismatch whether the amount paid differs from the notice's: recorded, never dropped
 */
public record StoredReceipt(Receipt receipt, Instant receivedAt, String messageId, String subject,
                            Long expectedAmount, boolean amountMismatch) {

    public boolean matched() {
        return messageId != null;
    }
}
