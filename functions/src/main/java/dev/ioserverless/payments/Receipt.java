package dev.ioserverless.payments;

import java.time.Instant;
import java.util.Objects;

/**
 * A pagoPA receipt: the payment platform's word that a payment notice was paid. Its fields mirror
 * pagoPA's receipt (biz-event): {@code receiptId}, {@code debtorPosition.noticeNumber},
 * {@code creditor.idPA} (the payee), {@code paymentInfo.paymentDateTime}, the PSP, the payer and
 * the debtor.
 *
 * @param receiptId the payment platform's id of the receipt (IO's {@code eventId}); unique
 * @param noticeNumber the 18-digit notice number (numero avviso)
 * @param payeeFiscalCode the 11-digit fiscal code of the organization paid
 * @param amount euro cents paid for the notice, the fee excluded
 * @param paidAt when the payment was made
 * @param payerFiscalCode who paid, when known
 * @param debtorFiscalCode whose debt it was, when known
 * @param payeeName the organization's name, when given
 * @param pspName the payment service provider, when given
 * @param paymentMethod how it was paid (card, bank transfer...), when given
 * @param fee euro cents the PSP charged on top, when given
 */
public record Receipt(String receiptId, String noticeNumber, String payeeFiscalCode, long amount, Instant paidAt,
                      String payerFiscalCode, String debtorFiscalCode, String payeeName, String pspName,
                      String paymentMethod, Long fee) {

    public Receipt {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(noticeNumber, "noticeNumber");
        Objects.requireNonNull(payeeFiscalCode, "payeeFiscalCode");
        Objects.requireNonNull(paidAt, "paidAt");
    }

    /** IO's {@code rptId}: the payee's fiscal code followed by the notice number, a notice's identity. */
    public String rptId() {
        return rptIdOf(payeeFiscalCode, noticeNumber);
    }

    public static String rptIdOf(String payeeFiscalCode, String noticeNumber) {
        return payeeFiscalCode + noticeNumber;
    }

    /** Whether the citizen is this receipt's payer or its debtor: the only citizens who see it. */
    public boolean concerns(String fiscalCode) {
        return fiscalCode.equals(payerFiscalCode) || fiscalCode.equals(debtorFiscalCode);
    }
}
