package dev.ioserverless.push;

import dev.ioserverless.common.MutableClock;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageProcessedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The push function wired to in-memory fakes, with helpers to register devices and build events. */
final class PushFixture {
    static final Instant CREATED_AT = Instant.parse("2024-03-01T10:15:30.000Z");
    static final String FISCAL_CODE = "RSSMRA80A01H501U";
    static final String OTHER_FISCAL_CODE = "VRDGPP85M01F205X";
    static final String SERVICE_ID = "01HSERVICE0000000000000001";
    static final String SERVICE_NAME = "Comune di Milano - TARI";
    static final String SUBJECT = "Avviso di pagamento TARI 2026";
    static final String LOG_KEY = "test-log-hash-key-of-at-least-32-chars";

    final MutableClock clock = new MutableClock(CREATED_AT.plusSeconds(5));
    final InMemoryInstallationStore installations = new InMemoryInstallationStore();
    final InMemoryPushDeliveryLedger ledger = new InMemoryPushDeliveryLedger();
    final InMemoryNotificationStatusStore statuses = new InMemoryNotificationStatusStore();
    final FakePushEndpoints endpoints = new FakePushEndpoints();
    final List<String> senderLookups = new ArrayList<>();
    final SenderNames senderNames = serviceId -> {
        senderLookups.add(serviceId);
        return serviceId.equals(SERVICE_ID) ? Optional.of(SERVICE_NAME) : Optional.empty();
    };
    final List<String> titleLookups = new ArrayList<>();
    /** Each message's recipient, as its status item holds it (the event does not carry it). */
    final Map<String, String> recipients = new java.util.concurrent.ConcurrentHashMap<>();
    final MessageTitles titles = new MessageTitles() {
        @Override
        public Optional<String> titleOf(String messageId) {
            titleLookups.add(messageId);
            return Optional.of(SUBJECT);
        }

        @Override
        public Optional<String> recipientOf(String messageId) {
            return Optional.ofNullable(recipients.get(messageId));
        }
    };
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", LOG_KEY)));
    final InstallationRegistrar registrar = new InstallationRegistrar(installations, endpoints, clock);
    final PushNotificationHandler handler = new PushNotificationHandler(installations, ledger, statuses, endpoints,
            senderNames, titles, clock, log);

    /** Registers a device with a fresh token; returns its installation. */
    Installation device(String fiscalCode, String installationId, Platform platform) {
        return registrar.register(fiscalCode, installationId, platform.value(), token());
    }

    static String token() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    /** A processed message to {@code fiscalCode} whose pushes are anonymous, known to the status store. */
    MessageProcessedEvent message(String fiscalCode, boolean secure) {
        return message(fiscalCode, secure, false);
    }

    /** A processed message to {@code fiscalCode}, who chose FULL push content or not, known to the status store. */
    MessageProcessedEvent message(String fiscalCode, boolean secure, boolean fullPushContent) {
        MessageProcessedEvent event = new MessageProcessedEvent(Ulid.of(CREATED_AT.toEpochMilli()), fiscalCode,
                SERVICE_ID, CREATED_AT, 3600, FeatureLevelType.STANDARD, secure, fullPushContent, true);
        statuses.addMessage(event.messageId());
        recipients.put(event.messageId(), fiscalCode);
        return event;
    }

    static SQSEvent.SQSMessage record(String body) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(UUID.randomUUID().toString());
        record.setBody(body);
        record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        record.setEventSource("aws:sqs");
        return record;
    }

    static SQSEvent event(SQSEvent.SQSMessage... records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(records));
        return event;
    }

    SQSBatchResponse handle(SQSEvent.SQSMessage... records) {
        return handler.handleRequest(event(records), null);
    }

    SQSBatchResponse handle(MessageProcessedEvent message) {
        return handle(record(message.toJson()));
    }

    static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }
}
