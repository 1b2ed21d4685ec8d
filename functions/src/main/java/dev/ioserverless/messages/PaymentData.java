package dev.ioserverless.messages;

/**
 * A pagoPA payment notice attached to a message.
 *
 * @param amount in euro cents, 1 to 9999999999
 * @param noticeNumber the 18-digit notice number (numero avviso), first digit 0-3
 * @param invalidAfterDueDate whether the notice can no longer be paid after the due date
 * @param payeeFiscalCode the 11-digit fiscal code of the organization to be paid; null when not
 *     given (submission then fills in the sending service's organization)
 */
public record PaymentData(long amount, String noticeNumber, boolean invalidAfterDueDate, String payeeFiscalCode) {

    public static final long MIN_AMOUNT = 1;
    public static final long MAX_AMOUNT = 9_999_999_999L;
    public static final String NOTICE_NUMBER_PATTERN = "^[0123][0-9]{17}$";

    public boolean hasPayee() {
        return payeeFiscalCode != null;
    }

    public PaymentData withPayee(String fiscalCode) {
        return new PaymentData(amount, noticeNumber, invalidAfterDueDate, fiscalCode);
    }
}
