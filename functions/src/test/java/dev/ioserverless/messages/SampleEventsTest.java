package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.SampleEvents;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.profiles.TestProfiles;
import dev.ioserverless.services.InMemoryIdempotencyStore;
import dev.ioserverless.services.InMemoryRateLimiter;
import dev.ioserverless.services.InMemoryServiceStore;
import dev.ioserverless.services.ServicesApi;
import dev.ioserverless.services.TestServices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every sample in events/ drives its handler (with in-memory stores) to the answer it illustrates. */
class SampleEventsTest {
    final InMemoryServiceStore services = new InMemoryServiceStore();
    final InMemoryMessageStore messages = new InMemoryMessageStore();

    SampleEventsTest() {
        services.save(TestServices.tari(), SampleEvents.SAMPLE_API_KEY, null);
    }

    ServicesApi api() {
        return new ServicesApi(services, new InMemoryRateLimiter(), new InMemoryIdempotencyStore(), TestMessages.CLOCK,
                TestMessages.log());
    }

    Message sampleMessage() {
        Message message = Message.accepted(SampleEvents.SAMPLE_MESSAGE_ID, SampleEvents.SAMPLE_FISCAL_CODE,
                TestServices.SERVICE_ID, TestMessages.NOW, 3600, FeatureLevelType.STANDARD,
                new MessageContent(TestMessages.SUBJECT, TestMessages.MARKDOWN, null, null, null));
        messages.put(message);
        return message;
    }

    @Test
    void submitMessageSampleIsAccepted() {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("SubmitMessageFunction"),
                APIGatewayV2HTTPEvent.class);
        RecordingQueue queue = new RecordingQueue();
        APIGatewayV2HTTPResponse response = new SubmitMessageHandler(api(), messages, queue, TestMessages.CLOCK,
                TestMessages.log()).handleRequest(event, null);
        assertEquals(201, response.getStatusCode(), response.getBody());
        String id = Json.read(response.getBody()).get("id").textValue();
        Message stored = messages.get(id).orElseThrow();
        assertEquals(18_250, stored.content().paymentData().amount());
        assertEquals(1, queue.sent.size());
    }

    @Test
    void getMessageSampleReadsTheMessage() {
        sampleMessage();
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("GetMessageFunction"),
                APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse response = new GetMessageHandler(api(), messages, new InMemoryProfileStore(),
                new InMemoryServicePreferenceStore(), TestMessages.log()).handleRequest(event, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.read(response.getBody());
        assertEquals(SampleEvents.SAMPLE_MESSAGE_ID, body.path("message").path("id").textValue());
    }

    @Test
    void processMessageSampleProcessesTheMessage() {
        sampleMessage();
        InMemoryProfileStore profiles = new InMemoryProfileStore();
        profiles.save(TestProfiles.profile(SampleEvents.SAMPLE_FISCAL_CODE, ServicePreferencesMode.AUTO, 0));
        RecordingEvents events = new RecordingEvents();
        SQSEvent event = LambdaEvents.read(SampleEvents.load("ProcessMessageFunction"), SQSEvent.class);
        SQSBatchResponse response = new ProcessMessageHandler(messages, profiles, new InMemoryServicePreferenceStore(),
                events, TestMessages.CLOCK, TestMessages.log()).handleRequest(event, null);
        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(MessageStatus.PROCESSED, messages.get(SampleEvents.SAMPLE_MESSAGE_ID).orElseThrow().status());
        assertEquals(1, events.published.size());
    }

    @Test
    void deadLetterSampleMarksTheMessageFailed() {
        sampleMessage();
        SQSEvent event = LambdaEvents.read(SampleEvents.load("MessageDeadLetterFunction"), SQSEvent.class);
        SQSBatchResponse response = new MessageDeadLetterHandler(messages, body -> { }, TestMessages.CLOCK, TestMessages.log())
                .handleRequest(event, null);
        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(MessageStatus.FAILED, messages.get(SampleEvents.SAMPLE_MESSAGE_ID).orElseThrow().status());
    }

    @Test
    void submitMessageByBodySampleIsAcceptedAndItsRetryReplayed() {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("SubmitMessageFunction-by-body"),
                APIGatewayV2HTTPEvent.class);
        RecordingQueue queue = new RecordingQueue();
        SubmitMessageHandler handler = new SubmitMessageHandler(api(), messages, queue, TestMessages.CLOCK,
                TestMessages.log());
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertEquals(201, response.getStatusCode(), response.getBody());
        String id = Json.read(response.getBody()).get("id").textValue();
        assertEquals("/api/v1/messages/" + SampleEvents.SAMPLE_FISCAL_CODE + "/" + id, response.getHeaders().get("Location"));
        APIGatewayV2HTTPResponse retry = handler.handleRequest(event, null);
        assertEquals("true", retry.getHeaders().get("Idempotent-Replayed"), "the sample carries an Idempotency-Key");
        assertEquals(1, messages.size());
    }

    @Test
    void submitMessageBatchSampleJudgesEachItem() {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(SampleEvents.load("SubmitMessageBatchFunction"),
                APIGatewayV2HTTPEvent.class);
        RecordingQueue queue = new RecordingQueue();
        APIGatewayV2HTTPResponse response = new SubmitMessageBatchHandler(api(), messages, queue, TestMessages.CLOCK,
                TestMessages.log()).handleRequest(event, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode results = Json.read(response.getBody()).get("results");
        assertEquals(List.of(201, 201, 400), List.of(results.get(0).get("status").intValue(),
                results.get(1).get("status").intValue(), results.get(2).get("status").intValue()));
        assertEquals(2, queue.sent.size());
    }
}
