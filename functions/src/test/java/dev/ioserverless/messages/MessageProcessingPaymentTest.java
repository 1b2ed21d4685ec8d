package dev.ioserverless.messages;

import static dev.ioserverless.profiles.TestProfiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.TestServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Processing a message with a payment notice: recorded under its notice, and born paid when a receipt came first. */
class MessageProcessingPaymentTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String PAYEE = "01199250158";
    static final String NOTICE = "302000100000019421";
    static final Instant PAID = Instant.parse("2024-02-28T09:00:00Z");

    final InMemoryMessageStore messages = new InMemoryMessageStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final List<String> registered = new ArrayList<>();
    final List<String> attached = new ArrayList<>();
    final Map<String, String> paidBy = new HashMap<>();
    Optional<NoticeReceipts.Paid> receipt = Optional.empty();

    final NoticeReceipts receipts = new NoticeReceipts() {
        @Override
        public Optional<Paid> register(String rptId, String messageId, String fiscalCode) {
            registered.add(rptId + "/" + messageId + "/" + fiscalCode);
            return receipt;
        }

        @Override
        public List<NoticeMessage> messagesOf(String rptId) {
            return List.of();
        }

        @Override
        public void attach(Paid paid, PaymentMarks.Mark message) {
            attached.add(paid.receiptId() + "->" + message.messageId());
        }
    };

    final PaymentMarks marks = (messageId, receiptId, paidAt) -> {
        boolean fresh = paidBy.putIfAbsent(messageId, receiptId) == null;
        return new PaymentMarks.Mark(messageId, fresh, paidBy.get(messageId), 12050L, TestMessages.SUBJECT);
    };

    MessageProcessing processing() {
        return new MessageProcessing(messages, profiles, new InMemoryServicePreferenceStore(), new RecordingEvents(),
                marks, receipts, TestMessages.CLOCK);
    }

    Message paymentMessage() {
        Message message = Message.accepted(Ulid.next(), CF, TestServices.SERVICE_ID, TestMessages.NOW, 3600,
                FeatureLevelType.ADVANCED, new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null,
                        new PaymentData(12050, NOTICE, false, PAYEE), null));
        messages.put(message);
        return message;
    }

    @Test
    void aProcessedNoticeIsRecordedAndStaysUnpaidWithoutAReceipt() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        Message message = paymentMessage();
        assertEquals(MessageProcessing.Outcome.PROCESSED, processing().process(message.id()).outcome());
        assertEquals(List.of(PAYEE + NOTICE + "/" + message.id() + "/" + CF), registered);
        assertTrue(paidBy.isEmpty());
        assertTrue(attached.isEmpty());
    }

    @Test
    void aReceiptThatCameFirstPaysTheMessageAndLearnsItsMessage() {
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        receipt = Optional.of(new NoticeReceipts.Paid("r-1", PAID, 12050));
        Message message = paymentMessage();
        processing().process(message.id());
        assertEquals("r-1", paidBy.get(message.id()));
        assertEquals(List.of("r-1->" + message.id()), attached);
    }

    @Test
    void aMessageWithoutANoticeOrARejectedOneIsNotRecorded() {
        Message plain = Message.accepted(Ulid.next(), CF, TestServices.SERVICE_ID, TestMessages.NOW, 3600,
                FeatureLevelType.STANDARD, new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null, null, null));
        messages.put(plain);
        profiles.save(profile(CF, ServicePreferencesMode.AUTO, 0));
        processing().process(plain.id());
        Message toNobody = Message.accepted(Ulid.next(), "MRTMTT25D09F205Z", TestServices.SERVICE_ID, TestMessages.NOW,
                3600, FeatureLevelType.ADVANCED, new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null,
                        new PaymentData(12050, NOTICE, false, PAYEE), null));
        messages.put(toNobody);
        assertEquals(MessageProcessing.Outcome.REJECTED, processing().process(toNobody.id()).outcome());
        assertTrue(registered.isEmpty());
        assertNull(paidBy.get(toNobody.id()));
    }
}
