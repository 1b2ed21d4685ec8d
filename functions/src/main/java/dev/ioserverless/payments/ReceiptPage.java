package dev.ioserverless.payments;

import java.util.List;

/**
 * A page of a citizen's receipts, in the order asked for.
 *
 * @param next where the following page starts (just after it); null when nothing follows
 */
public record ReceiptPage(List<ReceiptEntry> items, ReceiptPosition next) {
    public ReceiptPage {
        items = List.copyOf(items);
    }
}
