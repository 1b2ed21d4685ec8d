package dev.ioserverless.payments;

import static dev.ioserverless.common.DynamoAttributes.bool;
import static dev.ioserverless.common.DynamoAttributes.longValue;
import static dev.ioserverless.common.DynamoAttributes.n;
import static dev.ioserverless.common.DynamoAttributes.optBool;
import static dev.ioserverless.common.DynamoAttributes.optLong;
import static dev.ioserverless.common.DynamoAttributes.optString;
import static dev.ioserverless.common.DynamoAttributes.s;
import static dev.ioserverless.common.DynamoAttributes.string;

import dev.ioserverless.common.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The layout of {@code RECEIPTS_TABLE}, defined here once. Key ({@code pk} HASH, {@code sk} RANGE):
 *
 * <ul>
 *   <li>the receipt: {@code pk = RECEIPT#<receipt_id>}, {@code sk = RECEIPT}, with every field of
 *       the {@link Receipt}, {@code rpt_id}, {@code received_at}, and once a message matched
 *       {@code message_id}, {@code subject}, {@code expected_amount} and {@code amount_mismatch};
 *   <li>the notice's partition, {@code pk = NOTICE#<rpt_id>}: one item per receipt of the notice
 *       ({@code sk = RECEIPT#<receipt_id>}, with {@code receipt_id}, {@code paid_at}, {@code amount}),
 *       written with the receipt, and one per message that carries it ({@code sk = MESSAGE#<id>},
 *       with {@code message_id} and the recipient's {@code fiscal_code}), written when the message is
 *       processed. The callback and processing each write their item, then read the other kind with
 *       a strongly consistent Query of the partition, so whichever comes second sees the first:
 *       a receipt and its message always meet, whatever the order, without a scan or an index;
 *   <li>one entry per citizen it concerns (payer, debtor, or one entry for both):
 *       {@code pk = CITIZEN#<fiscal_code>}, {@code sk = RECEIPT#<paid_at>#<receipt_id>}, with what
 *       the citizen's list shows. One Query on the citizen's key, backwards, lists their receipts
 *       newest first, whether or not a message matched and whenever their profile was made.
 * </ul>
 *
 * The receipt and its entries are written in one transaction, conditional on the receipt being new,
 * so a replay never lists a receipt twice.
 */
public final class ReceiptItems {
    public static final String PK = "pk";
    public static final String SK = "sk";
    static final String RECEIPT_SK = "RECEIPT";
    /** What every citizen entry's range key starts with, so a citizen's Query reads receipt entries only. */
    public static final String CITIZEN_ENTRY_PREFIX = "RECEIPT#";
    public static final String RECEIPT_ID = "receipt_id";
    public static final String RPT_ID = "rpt_id";
    public static final String NOTICE_NUMBER = "notice_number";
    public static final String PAYEE_FISCAL_CODE = "payee_fiscal_code";
    public static final String PAYEE_NAME = "payee_name";
    public static final String AMOUNT = "amount";
    public static final String FEE = "fee";
    public static final String PAID_AT = "paid_at";
    public static final String PAYER_FISCAL_CODE = "payer_fiscal_code";
    public static final String DEBTOR_FISCAL_CODE = "debtor_fiscal_code";
    public static final String PSP_NAME = "psp_name";
    public static final String PAYMENT_METHOD = "payment_method";
    public static final String RECEIVED_AT = "received_at";
    public static final String MESSAGE_ID = "message_id";
    public static final String SUBJECT = "subject";
    public static final String EXPECTED_AMOUNT = "expected_amount";
    public static final String AMOUNT_MISMATCH = "amount_mismatch";
    public static final String IS_PAYER = "is_payer";
    public static final String IS_DEBTOR = "is_debtor";

    private ReceiptItems() {
    }

    public static final String FISCAL_CODE = "fiscal_code";
    /** The range key prefixes of a notice's partition. */
    public static final String NOTICE_RECEIPT_PREFIX = "RECEIPT#";
    public static final String NOTICE_MESSAGE_PREFIX = "MESSAGE#";

    public static AttributeValue noticeKey(String rptId) {
        return s("NOTICE#" + rptId);
    }

    /** The notice's record of one of its receipts. */
    public static Map<String, AttributeValue> noticeReceiptItem(Receipt receipt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, noticeKey(receipt.rptId()));
        item.put(SK, s(NOTICE_RECEIPT_PREFIX + receipt.receiptId()));
        item.put(RECEIPT_ID, s(receipt.receiptId()));
        item.put(PAID_AT, s(Timestamps.format(receipt.paidAt())));
        item.put(AMOUNT, n(receipt.amount()));
        return item;
    }

    /** The notice's record of a message that carries it. */
    public static Map<String, AttributeValue> noticeMessageItem(String rptId, String messageId, String fiscalCode) {
        return Map.of(PK, noticeKey(rptId), SK, s(NOTICE_MESSAGE_PREFIX + messageId),
                MESSAGE_ID, s(messageId), FISCAL_CODE, s(fiscalCode));
    }

    public static Map<String, AttributeValue> receiptKey(String receiptId) {
        return Map.of(PK, s("RECEIPT#" + receiptId), SK, s(RECEIPT_SK));
    }

    public static AttributeValue citizenKey(String fiscalCode) {
        return s("CITIZEN#" + fiscalCode);
    }

    /** The range key of a citizen's entry: newest first when read backwards. */
    public static String citizenSortKey(Receipt receipt) {
        return "RECEIPT#" + Timestamps.format(receipt.paidAt()) + "#" + receipt.receiptId();
    }

    public static Map<String, AttributeValue> receiptItem(Receipt receipt, java.time.Instant receivedAt) {
        Map<String, AttributeValue> item = new HashMap<>(receiptKey(receipt.receiptId()));
        item.put(RECEIPT_ID, s(receipt.receiptId()));
        item.put(RPT_ID, s(receipt.rptId()));
        item.put(NOTICE_NUMBER, s(receipt.noticeNumber()));
        item.put(PAYEE_FISCAL_CODE, s(receipt.payeeFiscalCode()));
        item.put(AMOUNT, n(receipt.amount()));
        item.put(PAID_AT, s(Timestamps.format(receipt.paidAt())));
        item.put(RECEIVED_AT, s(Timestamps.format(receivedAt)));
        putIfPresent(item, PAYER_FISCAL_CODE, receipt.payerFiscalCode());
        putIfPresent(item, DEBTOR_FISCAL_CODE, receipt.debtorFiscalCode());
        putIfPresent(item, PAYEE_NAME, receipt.payeeName());
        putIfPresent(item, PSP_NAME, receipt.pspName());
        putIfPresent(item, PAYMENT_METHOD, receipt.paymentMethod());
        if (receipt.fee() != null) {
            item.put(FEE, n(receipt.fee()));
        }
        return item;
    }

    /** The citizens' list entries: the payer's and the debtor's, one entry when they are the same citizen. */
    public static List<Map<String, AttributeValue>> citizenEntries(Receipt receipt) {
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        for (String citizen : citizensOf(receipt)) {
            Map<String, AttributeValue> entry = new HashMap<>();
            entry.put(PK, citizenKey(citizen));
            entry.put(SK, s(citizenSortKey(receipt)));
            entry.put(RECEIPT_ID, s(receipt.receiptId()));
            entry.put(PAYEE_FISCAL_CODE, s(receipt.payeeFiscalCode()));
            putIfPresent(entry, PAYEE_NAME, receipt.payeeName());
            entry.put(AMOUNT, n(receipt.amount()));
            entry.put(PAID_AT, s(Timestamps.format(receipt.paidAt())));
            entry.put(IS_PAYER, bool(citizen.equals(receipt.payerFiscalCode())));
            entry.put(IS_DEBTOR, bool(citizen.equals(receipt.debtorFiscalCode())));
            entries.add(entry);
        }
        return entries;
    }

    static List<String> citizensOf(Receipt receipt) {
        List<String> citizens = new ArrayList<>();
        if (receipt.payerFiscalCode() != null) {
            citizens.add(receipt.payerFiscalCode());
        }
        if (receipt.debtorFiscalCode() != null && !receipt.debtorFiscalCode().equals(receipt.payerFiscalCode())) {
            citizens.add(receipt.debtorFiscalCode());
        }
        return citizens;
    }

    public static StoredReceipt fromItem(Map<String, AttributeValue> item) {
        Receipt receipt = new Receipt(
                string(item, RECEIPT_ID),
                string(item, NOTICE_NUMBER),
                string(item, PAYEE_FISCAL_CODE),
                longValue(item, AMOUNT),
                Timestamps.parse(string(item, PAID_AT)),
                optString(item, PAYER_FISCAL_CODE).orElse(null),
                optString(item, DEBTOR_FISCAL_CODE).orElse(null),
                optString(item, PAYEE_NAME).orElse(null),
                optString(item, PSP_NAME).orElse(null),
                optString(item, PAYMENT_METHOD).orElse(null),
                optLong(item, FEE).orElse(null));
        return new StoredReceipt(receipt,
                Timestamps.parse(string(item, RECEIVED_AT)),
                optString(item, MESSAGE_ID).orElse(null),
                optString(item, SUBJECT).orElse(null),
                optLong(item, EXPECTED_AMOUNT).orElse(null),
                optBool(item, AMOUNT_MISMATCH).orElse(false));
    }

    // ---------------------------------------------------------------- the citizen's side (read)

    /** The range key of a citizen's entry for the receipt at this position of their list. */
    public static String citizenSortKey(ReceiptPosition position) {
        return CITIZEN_ENTRY_PREFIX + Timestamps.format(position.paidAt()) + "#" + position.receiptId();
    }

    /** The key of a citizen's entry at a position of their list (a Query's exclusive start). */
    public static Map<String, AttributeValue> citizenEntryKey(String fiscalCode, ReceiptPosition position) {
        return Map.of(PK, citizenKey(fiscalCode), SK, s(citizenSortKey(position)));
    }

    /** The position in the citizen's list of the entry (or Query's last evaluated key) {@code item}. */
    public static ReceiptPosition positionOf(Map<String, AttributeValue> item) {
        String sortKey = string(item, SK);
        String[] parts = sortKey.split("#", 3);
        if (parts.length != 3 || !sortKey.startsWith(CITIZEN_ENTRY_PREFIX)) {
            throw new IllegalStateException("not a citizen's receipt entry key");
        }
        return new ReceiptPosition(Timestamps.parse(parts[1]), parts[2]);
    }

    /** A citizen's entry as their list shows it. */
    public static ReceiptEntry entryFromItem(Map<String, AttributeValue> item) {
        return new ReceiptEntry(
                string(item, RECEIPT_ID),
                string(item, PAYEE_FISCAL_CODE),
                optString(item, PAYEE_NAME).orElse(null),
                longValue(item, AMOUNT),
                Timestamps.parse(string(item, PAID_AT)),
                optBool(item, IS_PAYER).orElse(false),
                optBool(item, IS_DEBTOR).orElse(false));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }
}
