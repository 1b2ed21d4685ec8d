package dev.ioserverless.payments;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One receipt as the citizen it concerns sees it: the payment (receipt id, when, PSP, method, amount,
 * fee, who paid) and what was paid (subject, amount, payee, debtor, notice number).
 *
 * <p>Only the receipt's payer and its debtor see it. As in pagoPA's paid-notices API, a citizen who
 * is the debtor but not the payer does not see the payer nor how they paid: {@link #payer()} and
 * {@link #paymentMethod()} are null for them.
 *
 * @param pspName the payment service provider, when the platform named it
 * @param paymentMethod how it was paid, as the payment platform wrote it; null when unknown or hidden
 * @param payer who paid; null when unknown or hidden
 * @param amount euro cents paid for the notice, the fee excluded
 * @param fee euro cents the PSP charged on top, when given
 * @param debtor whose debt it was, when known
 */
public record ReceiptDetail(String receiptId, Instant paidAt, String pspName, String paymentMethod, Party payer,
                            long amount, Long fee, String subject, Party payee, Party debtor, String noticeNumber,
                            boolean isPayer, boolean isDebtor) {

    /** pagoPA's payment method codes (the paid-notices API's {@code paymentMethod}). */
    public static final Set<String> PAYMENT_METHOD_CODES =
            Set.of("BBT", "BP", "AD", "CP", "PO", "OBEP", "JIF", "MYBK", "PPAL", "UNKNOWN");
    private static final Map<String, String> PAYMENT_METHOD_WORDS = Map.ofEntries(
            Map.entry("card", "CP"), Map.entry("credit card", "CP"), Map.entry("debit card", "CP"),
            Map.entry("carta", "CP"), Map.entry("carta di credito", "CP"), Map.entry("carta di debito", "CP"),
            Map.entry("paypal", "PPAL"), Map.entry("mybank", "MYBK"), Map.entry("bancomat pay", "JIF"),
            Map.entry("bancomatpay", "JIF"), Map.entry("bank transfer", "BBT"), Map.entry("bonifico", "BBT"),
            Map.entry("bollettino postale", "BP"), Map.entry("postal order", "BP"),
            Map.entry("direct debit", "AD"), Map.entry("addebito diretto", "AD"));

    /** Who took part: a fiscal code, and a name when known. */
    public record Party(String taxCode, String name) {
    }

    /**
     * The receipt as the citizen {@code fiscalCode} (named {@code citizenName}, from their token)
     * sees it; empty when they are neither its payer nor its debtor, exactly as when it does not
     * exist.
     */
    public static Optional<ReceiptDetail> forCitizen(StoredReceipt stored, String fiscalCode, String citizenName) {
        Receipt receipt = stored.receipt();
        if (!receipt.concerns(fiscalCode)) {
            return Optional.empty();
        }
        boolean isPayer = fiscalCode.equals(receipt.payerFiscalCode());
        boolean isDebtor = fiscalCode.equals(receipt.debtorFiscalCode());
        String name = citizenName == null || citizenName.isBlank() ? null : citizenName.strip();
        Party payer = isPayer ? new Party(fiscalCode, name) : null;
        Party debtor = receipt.debtorFiscalCode() == null ? null
                : new Party(receipt.debtorFiscalCode(), isDebtor ? name : null);
        return Optional.of(new ReceiptDetail(receipt.receiptId(), receipt.paidAt(), receipt.pspName(),
                isPayer ? receipt.paymentMethod() : null, payer, receipt.amount(), receipt.fee(), subjectOf(stored),
                new Party(receipt.payeeFiscalCode(), receipt.payeeName()), debtor, receipt.noticeNumber(),
                isPayer, isDebtor));
    }

    /** What was paid: the matched message's subject, else the notice it paid. */
    static String subjectOf(StoredReceipt stored) {
        if (stored.matched() && stored.subject() != null && !stored.subject().isBlank()) {
            return stored.subject();
        }
        return "Avviso di pagamento " + stored.receipt().noticeNumber();
    }

    /**
     * The payment method as one of pagoPA's codes: a code as it is, a few common names mapped,
     * anything else (or nothing) {@code UNKNOWN}.
     */
    public String paymentMethodCode() {
        if (paymentMethod == null) {
            return "UNKNOWN";
        }
        String upper = paymentMethod.strip().toUpperCase(Locale.ROOT);
        if (PAYMENT_METHOD_CODES.contains(upper)) {
            return upper;
        }
        return PAYMENT_METHOD_WORDS.getOrDefault(paymentMethod.strip().toLowerCase(Locale.ROOT), "UNKNOWN");
    }

    /** What the citizen paid in all: the amount and the fee. */
    public long total() {
        return amount + (fee == null ? 0 : fee);
    }
}
