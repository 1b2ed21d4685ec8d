package dev.ioserverless.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.SampleEvents;
import dev.ioserverless.messages.MessageProcessedEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** events/PushNotificationFunction.json is a MessageProcessed event as the queue delivers it. */
class PushSampleEventTest {
    final PushFixture f = new PushFixture();

    SQSEvent sample() {
        return LambdaEvents.read(SampleEvents.load("PushNotificationFunction"), SQSEvent.class);
    }

    @Test
    void theSampleIsAMessageProcessedEventForTheSampleMessage() {
        SQSEvent event = sample();
        assertEquals(1, event.getRecords().size());
        MessageProcessedEvent processed = MessageProcessedEvent.fromJson(event.getRecords().get(0).getBody());
        assertEquals(SampleEvents.SAMPLE_MESSAGE_ID, processed.messageId());
        assertEquals(SampleEvents.SAMPLE_FISCAL_CODE, processed.fiscalCode());
        assertEquals("MessageProcessed",
                event.getRecords().get(0).getMessageAttributes().get("event_type").getStringValue());
    }

    @Test
    void theSamplePushesTheRecipientsDeviceWithinTheTimeToLive() {
        Installation phone = f.device(SampleEvents.SAMPLE_FISCAL_CODE, "phone", Platform.APNS);
        f.statuses.addMessage(SampleEvents.SAMPLE_MESSAGE_ID);
        f.clock.set(Instant.parse("2024-03-01T10:15:32.000Z"));

        SQSBatchResponse response = f.handler.handleRequest(sample(), null);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(1, f.endpoints.pushesTo(phone.endpointArn()).size());
        assertEquals(NotificationStatus.SENT, f.statuses.status(SampleEvents.SAMPLE_MESSAGE_ID));
    }

    @Test
    void theSampleIsExpiredAnHourLater() {
        f.device(SampleEvents.SAMPLE_FISCAL_CODE, "phone", Platform.APNS);
        f.statuses.addMessage(SampleEvents.SAMPLE_MESSAGE_ID);
        f.clock.set(Instant.parse("2024-03-01T11:15:31.000Z"));

        SQSBatchResponse response = f.handler.handleRequest(sample(), null);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of(), f.endpoints.pushes);
        assertEquals(NotificationStatus.EXPIRED, f.statuses.status(SampleEvents.SAMPLE_MESSAGE_ID));
    }
}
