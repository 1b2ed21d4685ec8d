package dev.ioserverless.payments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Timestamps;
import java.math.BigDecimal;
import java.util.List;

/**
 * The citizen API's receipt shapes, with exactly the properties of pagoPA's paid-notices API (the
 * one the IO app reads receipts from): the list ({@code NoticeListWrapResponse} of
 * {@code NoticeListItem}) and the detail ({@code NoticeDetailResponse}: {@code infoNotice} and one
 * {@code carts} item, a receipt paying one notice). Amounts are strings of euros with two decimals
 * ({@code "120.50"}), dates ISO-8601 in UTC, as that API writes them.
 */
public final class ReceiptViews {
    /** pagoPA's kind of reference number for an 18-digit notice number. */
    static final String NOTICE_NUMBER_TYPE = "codiceAvviso";
    /** Where the transaction came from: the payment platform did not say. */
    static final String ORIGIN = "UNKNOWN";

    private ReceiptViews() {
    }

    public static ObjectNode list(List<ReceiptEntry> entries) {
        ObjectNode body = Json.object();
        ArrayNode notices = body.putArray("notices");
        for (ReceiptEntry entry : entries) {
            notices.add(listItem(entry));
        }
        return body;
    }

    public static ObjectNode listItem(ReceiptEntry entry) {
        ObjectNode node = Json.object();
        node.put("eventId", entry.receiptId());
        if (entry.payeeName() != null) {
            node.put("payeeName", entry.payeeName());
        }
        node.put("payeeTaxCode", entry.payeeFiscalCode());
        node.put("amount", euros(entry.amount()));
        node.put("noticeDate", Timestamps.format(entry.paidAt()));
        node.put("isCart", false);
        node.put("isPayer", entry.isPayer());
        node.put("isDebtor", entry.isDebtor());
        return node;
    }

    public static ObjectNode detail(ReceiptDetail detail) {
        ObjectNode body = Json.object();
        ObjectNode info = body.putObject("infoNotice");
        info.put("eventId", detail.receiptId());
        info.put("rrn", detail.receiptId());
        info.put("noticeDate", Timestamps.format(detail.paidAt()));
        info.put("pspName", detail.pspName() == null ? "" : detail.pspName());
        if (detail.isPayer()) {
            info.put("paymentMethod", detail.paymentMethodCode());
        }
        if (detail.payer() != null) {
            info.set("payer", party(detail.payer()));
        }
        info.put("amount", euros(detail.amount()));
        if (detail.fee() != null) {
            info.put("fee", euros(detail.fee()));
        }
        info.put("origin", ORIGIN);
        ObjectNode cart = body.putArray("carts").addObject();
        cart.put("subject", detail.subject());
        cart.put("amount", euros(detail.amount()));
        cart.set("payee", party(detail.payee()));
        if (detail.debtor() != null) {
            cart.set("debtor", party(detail.debtor()));
        }
        cart.put("refNumberValue", detail.noticeNumber());
        cart.put("refNumberType", NOTICE_NUMBER_TYPE);
        return body;
    }

    private static ObjectNode party(ReceiptDetail.Party party) {
        ObjectNode node = Json.object();
        if (party.name() != null) {
            node.put("name", party.name());
        }
        node.put("taxCode", party.taxCode());
        return node;
    }

    /** Euro cents as pagoPA writes an amount: euros with two decimals and a point, {@code "1234.50"}. */
    public static String euros(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }
}
