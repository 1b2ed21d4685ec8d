package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.services.ServiceGroup;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The email channel through HTTP: a processed message reaches a citizen's validated address once,
 * through the local SES, under the rules of the profile, the service preference and the message;
 * the sender sees {@code notification.email}. Where no email may go, the test waits until the email
 * function has taken the message's event (the message announced and the email queue drained), then
 * finds the mailbox without it.
 */
class EmailNotificationIT {
    static final String SUBJECT = "Avviso di pagamento TARI 2026";
    static final String MARKDOWN = "Gentile cittadino, **paga entro il 31 dicembre**. <script>alert('x')</script> "
            + "[Paga qui](javascript:alert(1)) oppure visita [il sito](https://comune.example.it/tari).";

    record Citizen(String fiscalCode, String token, String email) {
    }

    /** A citizen who set an address in the app and opened the validation link it was sent. */
    static Citizen validated() {
        String email = EmailValidationIT.address();
        String fiscalCode = FiscalCodes.random();
        String token = EmailValidationIT.citizenWithEmail(fiscalCode, email);
        assertEquals(202, EmailValidationIT.startProcess(token).statusCode());
        EmailValidationIT.assertPage(EmailValidationIT.open(EmailValidationIT.tokenMailedTo(email)), 200, "confirmed");
        return new Citizen(fiscalCode, token, email);
    }

    static TestService sender() {
        return TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead), Set.of(), List.of(),
                1_000_000, 10_000);
    }

    static String message(String extraContent) {
        Secrets.subject(SUBJECT);
        Secrets.markdown(MARKDOWN);
        return "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":" + Json.write(MARKDOWN) + extraContent + "}}";
    }

    static String send(TestService service, Citizen citizen, String body) {
        HttpResponse<String> sent = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen.fiscalCode(), body);
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Json.read(sent.body()).path("id").asText();
        InboxIT.awaitStatus(service, citizen.fiscalCode(), id, "PROCESSED");
        return id;
    }

    /** The emails to {@code address} whose subject is not the validation's, newest first. */
    static List<JsonNode> notifications(String address) {
        HttpResponse<String> list = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/emails?to="
                + URLEncoder.encode(address, StandardCharsets.UTF_8))).GET());
        assertEquals(200, list.statusCode(), list.body());
        List<JsonNode> found = new ArrayList<>();
        Json.read(list.body()).path("emails").forEach(e -> {
            if (!e.path("subject").asText().equals("Confirm your email address")) {
                found.add(e);
            }
        });
        return found;
    }

    static JsonNode email(String id) {
        HttpResponse<String> email = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/emails/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8))).GET());
        assertEquals(200, email.statusCode(), email.body());
        return Json.read(email.body());
    }

    /** The email function has taken the message's event: it was published, and the email queue holds nothing. */
    static void awaitEmailFunctionDone(String messageId) {
        LocalPlatform platform = TestPlatform.get();
        String queue = platform.sqs().getQueueUrl(b -> b.queueName(platform.physicalName("EmailNotificationsQueue"))).queueUrl();
        TestPlatform.await(() -> {
            var status = platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                    .key(Map.of("id", AttributeValue.fromS(messageId))).consistentRead(true)).item();
            if (!status.containsKey(DynamoMessageStore.ANNOUNCED_AT)) {
                return false;
            }
            var counts = platform.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return counts.values().stream().mapToInt(Integer::parseInt).sum() == 0;
        }, Duration.ofSeconds(15), "the email function took " + messageId);
    }

    @Test
    void aProcessedMessageIsEmailedOnceSafelyRenderedAndTheSenderSeesIt() {
        Citizen citizen = validated();
        TestService service = sender();
        String id = send(service, citizen, message(""));
        TestPlatform.await(() -> notifications(citizen.email()).size() == 1, Duration.ofSeconds(15), "the email");
        JsonNode email = email(notifications(citizen.email()).get(0).path("id").asText());
        assertEquals(SUBJECT, email.path("subject").asText());
        String html = email.path("html").asText();
        assertTrue(html.contains("<strong>paga entro il 31 dicembre</strong>"), html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("javascript:"), html);
        assertTrue(html.contains("href=\"https://comune.example.it/tari\""), html);
        assertTrue(email.path("text").asText().contains(id), "the link into the app names the message");
        assertEquals(id, email.path("tags").path("message_id").asText(), "tagged with the message, for bounces: " + email);

        JsonNode view = Json.read(TestData.get(service.primaryKey(), "/api/v1/messages/" + citizen.fiscalCode() + "/" + id).body());
        assertEquals("SENT", view.path("notification").path("email").asText(), view.toString());

        // The queue delivers the event again: no second email.
        LocalPlatform platform = TestPlatform.get();
        String queue = platform.sqs().getQueueUrl(b -> b.queueName(platform.physicalName("EmailNotificationsQueue"))).queueUrl();
        String event = "{\"event_type\":\"MessageProcessed\",\"message_id\":\"" + id + "\",\"sender_service_id\":\""
                + service.id() + "\",\"created_at\":\"2026-01-01T00:00:00.000Z\",\"time_to_live\":3600,"
                + "\"feature_level_type\":\"STANDARD\"}";
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(event));
        platform.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(event));
        awaitEmailFunctionDone(id);
        assertEquals(1, notifications(citizen.email()).size(), "exactly one email under redelivery");
    }

    @Test
    void theRulesDecideWhoGetsAnEmail() {
        TestService service = sender();
        // Not validated: an address set in the app but never confirmed.
        String unconfirmed = EmailValidationIT.address();
        Citizen pending = new Citizen(FiscalCodes.random(), null, unconfirmed);
        EmailValidationIT.citizenWithEmail(pending.fiscalCode(), unconfirmed);
        awaitEmailFunctionDone(send(service, pending, message("")));
        assertEquals(List.of(), notifications(unconfirmed));

        // The profile's email switch off.
        Citizen off = validated();
        JsonNode profile = EmailValidationIT.profile(off.token());
        HttpResponse<String> switched = CitizenApiIT.postProfile(off.token(), "{\"version\":" + profile.path("version").asInt()
                + ",\"is_email_enabled\":false,\"service_preferences_settings\":{\"mode\":\"AUTO\"}}");
        assertEquals(200, switched.statusCode(), switched.body() + " after " + profile);
        awaitEmailFunctionDone(send(service, off, message("")));
        assertEquals(List.of(), notifications(off.email()));

        // The service's preference turns email off (AUTO mode: the citizen chose for this service).
        Citizen optedOut = validated();
        JsonNode settings = EmailValidationIT.profile(optedOut.token()).path("service_preferences_settings");
        HttpResponse<String> chosen = CitizenApiIT.preference(optedOut.token(), service.id(), "{\"is_inbox_enabled\":true,"
                + "\"is_email_enabled\":false,\"is_webhook_enabled\":true,\"settings_version\":"
                + settings.path("version").asInt(0) + "}");
        assertEquals(200, chosen.statusCode(), chosen.body());
        awaitEmailFunctionDone(send(service, optedOut, message("")));
        assertEquals(List.of(), notifications(optedOut.email()));

        // A message that requires secure channels is never emailed.
        Citizen secure = validated();
        awaitEmailFunctionDone(send(service, secure, message(",\"require_secure_channels\":true")));
        assertEquals(List.of(), notifications(secure.email()));

        // Behind a precondition: a notice only, nothing of the message.
        Citizen legal = validated();
        String configuration = ThirdPartyMessagesIT.createConfiguration(service, "ONCE",
                java.net.URI.create("https://notices.example.org/io"), "notices-key-0123456789");
        send(service, legal, message(",\"third_party_data\":{\"id\":\"IUN-1\",\"configuration_id\":\"" + configuration + "\"}"));
        TestPlatform.await(() -> notifications(legal.email()).size() == 1, Duration.ofSeconds(15), "the notice");
        JsonNode notice = email(notifications(legal.email()).get(0).path("id").asText());
        assertFalse(notice.toString().contains("TARI") || notice.toString().contains("paga entro"), notice.toString());
    }

    @Test
    void sesThrottlingIsRetriedWithBackoffAndOneEmailGoesOut() {
        Citizen citizen = validated();
        TestService service = sender();
        HttpResponse<String> throttle = TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url("/_local/emails/throttle?count=2"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, throttle.statusCode(), throttle.body());
        String id = send(service, citizen, message(""));
        TestPlatform.await(() -> notifications(citizen.email()).size() == 1, Duration.ofSeconds(15), "the email");
        JsonNode view = Json.read(TestData.get(service.primaryKey(), "/api/v1/messages/" + citizen.fiscalCode() + "/" + id).body());
        assertEquals("SENT", view.path("notification").path("email").asText(), view.toString());
    }
}
