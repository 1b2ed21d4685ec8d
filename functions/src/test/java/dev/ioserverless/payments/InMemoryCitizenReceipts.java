package dev.ioserverless.payments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Receipts in memory, with each citizen's list as the table's entries make it. */
final class InMemoryCitizenReceipts implements CitizenReceipts {
    private static final Comparator<ReceiptEntry> BY_POSITION =
            Comparator.comparing(ReceiptEntry::paidAt).thenComparing(ReceiptEntry::receiptId);
    private final Map<String, StoredReceipt> receipts = new LinkedHashMap<>();

    InMemoryCitizenReceipts add(StoredReceipt stored) {
        receipts.put(stored.receipt().receiptId(), stored);
        return this;
    }

    @Override
    public ReceiptPage page(String fiscalCode, ReceiptQuery query) {
        List<ReceiptEntry> entries = new ArrayList<>();
        for (StoredReceipt stored : receipts.values()) {
            Receipt receipt = stored.receipt();
            if (receipt.concerns(fiscalCode)) {
                entries.add(new ReceiptEntry(receipt.receiptId(), receipt.payeeFiscalCode(), receipt.payeeName(),
                        receipt.amount(), receipt.paidAt(), fiscalCode.equals(receipt.payerFiscalCode()),
                        fiscalCode.equals(receipt.debtorFiscalCode())));
            }
        }
        Comparator<ReceiptEntry> order = query.newestFirst() ? BY_POSITION.reversed() : BY_POSITION;
        entries.sort(order);
        List<ReceiptEntry> page = new ArrayList<>();
        for (ReceiptEntry entry : entries) {
            if (query.after() != null) {
                int relative = BY_POSITION.compare(entry, new ReceiptEntry(query.after().receiptId(), "", null, 0,
                        query.after().paidAt(), false, false));
                if (query.newestFirst() ? relative >= 0 : relative <= 0) {
                    continue;
                }
            }
            if ((query.isPayer() != null && query.isPayer() != entry.isPayer())
                    || (query.isDebtor() != null && query.isDebtor() != entry.isDebtor())) {
                continue;
            }
            page.add(entry);
            if (page.size() > query.size()) {
                break;
            }
        }
        if (page.size() > query.size()) {
            List<ReceiptEntry> items = page.subList(0, query.size());
            return new ReceiptPage(items, items.get(items.size() - 1).position());
        }
        return new ReceiptPage(page, null);
    }

    @Override
    public Optional<StoredReceipt> find(String receiptId) {
        return Optional.ofNullable(receipts.get(receiptId));
    }
}
