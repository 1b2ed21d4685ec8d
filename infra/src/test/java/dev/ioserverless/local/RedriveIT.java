package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageCreated;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A dead letter is kept, not deleted: the dead-letter consumer marks the message FAILED and keeps
 * the record in the queue's archive, and a redrive sends it back to the processing queue, where
 * the message completes (FAILED to PROCESSED) and reaches the inbox once.
 */
class RedriveIT {

    static int visibleIn(String queueLogicalId) {
        LocalPlatform platform = TestPlatform.get();
        return Integer.parseInt(platform.sqs().getQueueAttributes(b -> b.queueUrl(platform.queueUrl(queueLogicalId))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /**
     * Empties a queue of what other tests left there (dead letters of messages that do not exist,
     * malformed records), so a redrive here moves this test's records only: redriven, those would
     * go round the pipeline's retries again while later tests expect it idle.
     */
    static void drain(String queueLogicalId) {
        LocalPlatform platform = TestPlatform.get();
        String url = platform.queueUrl(queueLogicalId);
        while (true) {
            var messages = platform.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return;
            }
            messages.forEach(m -> platform.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    @Test
    void aDeadLetterIsArchivedThenRedrivenAndTheMessageCompletesOnce() {
        LocalPlatform platform = TestPlatform.get();
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead));
        String citizen = TestData.citizen();
        // A message whose processing exhausted its retries: SQS moved its notice to the dead-letter queue.
        Message message = Message.accepted(Ulid.next(), citizen, service.id(), TestPlatform.clock().now(), 3600,
                FeatureLevelType.STANDARD, new MessageContent(TestData.SUBJECT, TestData.MARKDOWN, null, null, null));
        TestData.messages().create(message);
        drain("MessageCreatedDLQParking");
        int archivedBefore = visibleIn("MessageCreatedDLQParking");
        platform.sqs().sendMessage(b -> b.queueUrl(platform.queueUrl("MessageCreatedDLQ"))
                .messageBody(new MessageCreated(message.id()).toJson()));

        TestPlatform.await(() -> TestData.messages().findHeader(message.id()).orElseThrow().status() == MessageStatus.FAILED,
                Duration.ofSeconds(10), "marked FAILED");
        TestPlatform.await(() -> visibleIn("MessageCreatedDLQParking") == archivedBefore + 1, Duration.ofSeconds(10),
                "kept in the archive");

        HttpResponse<String> redriven = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/redrive/MessageCreatedDLQParking")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, redriven.statusCode(), redriven.body());
        JsonNode result = Json.read(redriven.body());
        assertEquals("MessageCreatedQueue", result.path("to").asText());
        assertTrue(result.path("moved").asInt() >= 1, redriven.body());
        assertEquals(0, result.path("failed").asInt());

        TestPlatform.await(() -> TestData.messages().findHeader(message.id()).orElseThrow().status() == MessageStatus.PROCESSED,
                Duration.ofSeconds(10), "processed after the redrive");
        assertEquals(1, TestData.messagesFor(citizen));
        assertEquals(0, visibleIn("MessageCreatedDLQParking"), "the archive gave everything back");
    }

    @Test
    void theSubscriptionsDeadLettersGoBackToItsQueue() {
        drain("PushNotificationsSubscriptionDLQ");
        drain("PushNotificationsDLQParking");
        HttpResponse<String> redriven = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/redrive/PushNotificationsSubscriptionDLQ")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, redriven.statusCode(), redriven.body());
        assertEquals("PushNotificationsQueue", Json.read(redriven.body()).path("to").asText());
        HttpResponse<String> archive = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/redrive/PushNotificationsDLQParking")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals("PushNotificationsQueue", Json.read(archive.body()).path("to").asText());
    }

    @Test
    void aRedriveNamesAQueueOfTheTemplateWithASource() {
        HttpResponse<String> unknown = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/redrive/NoSuchQueue")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> notADeadLetterQueue = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(
                "/_local/redrive/MessageCreatedQueue")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, notADeadLetterQueue.statusCode());
        assertTrue(Json.read(notADeadLetterQueue.body()).path("detail").asText().startsWith("QueueLogicalId"));
    }
}
