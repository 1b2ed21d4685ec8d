package dev.ioserverless.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.NoticeReceipts.NoticeMessage;
import dev.ioserverless.messages.PaymentMarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PaymentCallbackTest {
    static final Instant PAID = Instant.parse("2026-03-01T10:00:00Z");

    static final class FakeLedger implements ReceiptLedger {
        final Map<String, Receipt> receipts = new HashMap<>();
        final Map<String, PaymentMarks.Mark> attached = new HashMap<>();

        @Override
        public Recorded record(Receipt receipt, Instant receivedAt) {
            Receipt old = receipts.putIfAbsent(receipt.receiptId(), receipt);
            return old == null ? Recorded.NEW : old.equals(receipt) ? Recorded.REPLAY : Recorded.CONFLICT;
        }

        @Override
        public Optional<StoredReceipt> find(String receiptId) {
            return Optional.empty();
        }

        final Map<String, List<NoticeMessage>> notices = new HashMap<>();

        @Override
        public Optional<Paid> register(String rptId, String messageId, String fiscalCode) {
            notices.computeIfAbsent(rptId, k -> new ArrayList<>()).add(new NoticeMessage(messageId, fiscalCode));
            return Optional.empty();
        }

        @Override
        public List<NoticeMessage> messagesOf(String rptId) {
            return notices.getOrDefault(rptId, List.of());
        }

        @Override
        public void attach(Paid receipt, PaymentMarks.Mark message) {
            attached.putIfAbsent(receipt.receiptId(), message);
        }
    }

    static final class FakeMarks implements PaymentMarks {
        final Map<String, String> paidBy = new HashMap<>();
        final Map<String, Long> amounts = new HashMap<>();
        FakeLedger ledger;

        void message(String id, String rptId, long amount) {
            ledger.register(rptId, id, "RSSMRA80A01H501U");
            amounts.put(id, amount);
        }

        @Override
        public Mark markPaid(String messageId, String receiptId, Instant paidAt) {
            boolean fresh = paidBy.putIfAbsent(messageId, receiptId) == null;
            return new Mark(messageId, fresh, paidBy.get(messageId), amounts.get(messageId), "subject");
        }
    }

    static Receipt receipt(String id, long amount) {
        return new Receipt(id, "302000100000019421", "01199250158", amount, PAID, "RSSMRA80A01H501U", null, null, null,
                null, null);
    }

    @Test
    void aMatchingReceiptPaysEveryMessageOfTheNoticeOnce() {
        FakeLedger ledger = new FakeLedger();
        FakeMarks marks = new FakeMarks();
        marks.ledger = ledger;
        String rpt = receipt("r", 1).rptId();
        marks.message("m1", rpt, 500);
        marks.message("m2", rpt, 500);
        PaymentCallback callback = new PaymentCallback(ledger, marks);

        PaymentCallback.Outcome first = callback.accept(receipt("r", 500), PAID);
        assertTrue(first.matched());
        assertEquals(2, first.newlyPaid());
        assertFalse(first.amountMismatch());
        assertEquals("m1", ledger.attached.get("r").messageId());

        PaymentCallback.Outcome replay = callback.accept(receipt("r", 500), PAID);
        assertEquals(ReceiptLedger.Recorded.REPLAY, replay.recorded());
        assertEquals(0, replay.newlyPaid());
        assertEquals(List.of("m1", "m2"), replay.messages());
    }

    @Test
    void noMessageMeansKeptAndADifferentAmountIsFlagged() {
        FakeLedger ledger = new FakeLedger();
        FakeMarks marks = new FakeMarks();
        marks.ledger = ledger;
        PaymentCallback callback = new PaymentCallback(ledger, marks);
        assertFalse(callback.accept(receipt("alone", 500), PAID).matched());

        marks.message("m", receipt("x", 1).rptId(), 500);
        assertTrue(callback.accept(receipt("short", 499), PAID).amountMismatch());
    }

    @Test
    void aSecondReceiptForAPaidNoticeIsKeptWithoutTakingTheMessage() {
        FakeLedger ledger = new FakeLedger();
        FakeMarks marks = new FakeMarks();
        marks.ledger = ledger;
        marks.message("m", receipt("x", 1).rptId(), 500);
        PaymentCallback callback = new PaymentCallback(ledger, marks);
        callback.accept(receipt("first", 500), PAID);
        PaymentCallback.Outcome second = callback.accept(receipt("second", 500), PAID);
        assertEquals(0, second.newlyPaid());
        assertEquals("first", marks.paidBy.get("m"));
        assertFalse(ledger.attached.containsKey("second"));
    }

    @Test
    void aDifferentReceiptUnderAKeptIdIsAConflict() {
        FakeLedger ledger = new FakeLedger();
        FakeMarks marks = new FakeMarks();
        marks.ledger = ledger;
        PaymentCallback callback = new PaymentCallback(ledger, marks);
        callback.accept(receipt("r", 500), PAID);
        ProblemException e = assertThrows(ProblemException.class, () -> callback.accept(receipt("r", 501), PAID));
        assertEquals(409, e.problem().status());
    }
}
