package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.provision.Provisioner;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.EventType;
import software.amazon.awssdk.services.sesv2.model.IdentityType;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The platform's SES v2 through the unchanged {@code SesV2Client} (with retries off, so that the
 * test sees each answer the caller gets), its outbox under {@code /_local/emails}, the bounce and
 * complaint events it publishes through SNS, and the provisioning of {@code ses-test-template.yaml}.
 */
class SesEmulatorIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SUBJECT = "Avviso TARI: è già scaduto — città di Cefalù";
    private static final String TEXT = "Gentile cittadino,\nl'avviso è pronto. Perché? Così: € 12,50.\n";
    private static final String HTML = "<p>Città di <b>Cefalù</b>: l'avviso è pronto (€ 12,50)</p>";
    private static LocalPlatform platform;
    private static SesV2Client ses;
    private static String domain;
    private static String configurationSet;
    private static String topicArn;
    private static String queueUrl;

    @BeforeAll
    static void setUp() {
        platform = TestPlatform.get();
        Assumptions.assumeTrue(platform.sesEmulator() != null, "SES is the external endpoint's: no outbox");
        ses = SesV2Client.builder().region(Region.of(LocalPlatform.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(platform.sesEndpoint())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        domain = "comune-" + run + ".example.it";
        configurationSet = "ses-it-" + run;
        ses.createEmailIdentity(b -> b.emailIdentity(domain));
        ses.createConfigurationSet(b -> b.configurationSetName(configurationSet));
        topicArn = platform.sns().createTopic(b -> b.name("ses-it-events-" + run)).topicArn();
        ses.createConfigurationSetEventDestination(b -> b.configurationSetName(configurationSet)
                .eventDestinationName("to-sns")
                .eventDestination(d -> d.enabled(true).matchingEventTypes(EventType.BOUNCE, EventType.COMPLAINT)
                        .snsDestination(s -> s.topicArn(topicArn))));
        queueUrl = platform.sqs().createQueue(b -> b.queueName("ses-it-events-" + run)).queueUrl();
        String queueArn = platform.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        platform.sns().subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
    }

    private static SendEmailRequest email(String from, List<String> to, String set) {
        return SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(d -> d.toAddresses(to))
                .content(c -> c.simple(m -> m
                        .subject(s -> s.data(SUBJECT).charset("UTF-8"))
                        .body(b -> b.text(t -> t.data(TEXT).charset("UTF-8")).html(h -> h.data(HTML).charset("UTF-8")))))
                .configurationSetName(set)
                .emailTags(t -> t.name("message_id").value("01ARZ3NDEKTSV4RRFFQ69G5FAV"), t -> t.name("channel").value("email"))
                .build();
    }

    private static String recipient() {
        return "cittadino-" + UUID.randomUUID() + "@example.org";
    }

    @Test
    void anIdentityCreatedThroughTheSdkIsDescribedAndLetsItsDomainSend() {
        var identity = ses.getEmailIdentity(b -> b.emailIdentity(domain));
        assertEquals(IdentityType.DOMAIN, identity.identityType());
        assertTrue(identity.verifiedForSendingStatus());
        assertThrows(AlreadyExistsException.class, () -> ses.createEmailIdentity(b -> b.emailIdentity(domain)));
        assertThrows(NotFoundException.class, () -> ses.getEmailIdentity(b -> b.emailIdentity("nobody-" + domain)));
        assertEquals(configurationSet, ses.getConfigurationSet(b -> b.configurationSetName(configurationSet))
                .configurationSetName());
        assertThrows(NotFoundException.class, () -> ses.getConfigurationSet(b -> b.configurationSetName(configurationSet + "-x")));

        String address = "Comune di Cefalù <avvisi@" + domain + ">";
        String messageId = ses.sendEmail(email(address, List.of(recipient()), configurationSet)).messageId();
        assertNotNull(messageId);
        // An address identity lets only that address send.
        String single = "solo-" + UUID.randomUUID() + "@example.net";
        ses.createEmailIdentity(b -> b.emailIdentity(single));
        assertEquals(IdentityType.EMAIL_ADDRESS, ses.getEmailIdentity(b -> b.emailIdentity(single)).identityType());
        ses.sendEmail(email(single, List.of(recipient()), null));
        assertThrows(MessageRejectedException.class,
                () -> ses.sendEmail(email("altro@" + single.substring(single.indexOf('@') + 1), List.of(recipient()), null)));
    }

    @Test
    void refusalsAreTheExceptionsSesAnswers() {
        MessageRejectedException unverified = assertThrows(MessageRejectedException.class,
                () -> ses.sendEmail(email("avvisi@unverified-" + UUID.randomUUID() + ".example.it", List.of(recipient()), null)));
        assertEquals(400, unverified.statusCode());
        assertTrue(unverified.getMessage().contains("not verified"), unverified.getMessage());

        NotFoundException unknownSet = assertThrows(NotFoundException.class,
                () -> ses.sendEmail(email("avvisi@" + domain, List.of(recipient()), "no-such-set-" + UUID.randomUUID())));
        assertEquals(404, unknownSet.statusCode());

        List<String> many = new ArrayList<>();
        IntStream.range(0, 51).forEach(i -> many.add(recipient()));
        MessageRejectedException tooMany = assertThrows(MessageRejectedException.class,
                () -> ses.sendEmail(email("avvisi@" + domain, many, null)));
        assertTrue(tooMany.getMessage().contains("50"), tooMany.getMessage());
        // Fifty are fine.
        ses.sendEmail(email("avvisi@" + domain, many.subList(0, 50), null));
        assertThrows(NotFoundException.class, () -> ses.createConfigurationSetEventDestination(b -> b
                .configurationSetName("no-such-set-" + UUID.randomUUID()).eventDestinationName("x")
                .eventDestination(d -> d.enabled(true).matchingEventTypes(EventType.BOUNCE)
                        .snsDestination(s -> s.topicArn(topicArn)))));
    }

    @Test
    void theOutboxShowsBothPartsByteForByte() throws Exception {
        String to = recipient();
        String messageId = ses.sendEmail(email("avvisi@" + domain, List.of(to), configurationSet)).messageId();

        HttpResponse<byte[]> listed = get("/_local/emails?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
        assertEquals(200, listed.statusCode());
        JsonNode emails = Json.MAPPER.readTree(listed.body()).path("emails");
        assertEquals(1, emails.size(), emails.toString());
        JsonNode summary = emails.get(0);
        assertEquals(messageId, summary.path("id").asText());
        assertEquals(to, summary.path("to").get(0).asText());
        assertEquals(SUBJECT, summary.path("subject").asText());
        assertFalse(summary.has("text") || summary.has("html"), "the list carries no bodies");
        assertEquals(configurationSet, summary.path("configuration_set").asText());
        assertEquals("email", summary.path("tags").path("channel").asText());
        java.time.Instant.parse(summary.path("sent_at").asText());

        HttpResponse<byte[]> one = get("/_local/emails/" + messageId);
        assertEquals(200, one.statusCode());
        JsonNode detail = Json.MAPPER.readTree(one.body());
        assertEquals(TEXT, detail.path("text").asText());
        assertEquals(HTML, detail.path("html").asText());
        assertEquals("avvisi@" + domain, detail.path("from").asText());
        String raw = new String(one.body(), StandardCharsets.UTF_8);
        assertTrue(raw.contains("Cefalù") && raw.contains("€ 12,50"), "UTF-8 in the body, not escapes: " + raw);

        // The whole outbox lists it too, newest first.
        String next = ses.sendEmail(email("avvisi@" + domain, List.of(to), null)).messageId();
        JsonNode all = Json.MAPPER.readTree(get("/_local/emails?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8)).body())
                .path("emails");
        assertEquals(List.of(next, messageId), List.of(all.get(0).path("id").asText(), all.get(1).path("id").asText()));
        JsonNode problem = Json.MAPPER.readTree(get("/_local/emails/no-such-email").body());
        assertEquals(404, problem.path("status").asInt());
        assertEquals(404, get("/_local/emails/no-such-email").statusCode());
    }

    @Test
    void throttlingAnswers429ThenSendingResumes() throws Exception {
        assertEquals(200, post("/_local/emails/throttle?count=2").statusCode());
        for (int i = 0; i < 2; i++) {
            TooManyRequestsException throttled = assertThrows(TooManyRequestsException.class,
                    () -> ses.sendEmail(email("avvisi@" + domain, List.of(recipient()), null)));
            assertEquals(429, throttled.statusCode());
        }
        assertNotNull(ses.sendEmail(email("avvisi@" + domain, List.of(recipient()), null)).messageId());
        assertEquals(400, post("/_local/emails/throttle?count=many").statusCode());
    }

    @Test
    void aBounceAndAComplaintArePublishedAsSesEventRecords() throws Exception {
        String to = recipient();
        String messageId = ses.sendEmail(email("Comune <avvisi@" + domain + ">", List.of(to), configurationSet)).messageId();

        HttpResponse<byte[]> bounced = post("/_local/emails/" + messageId + "/bounce");
        assertEquals(200, bounced.statusCode(), new String(bounced.body(), StandardCharsets.UTF_8));
        JsonNode bounce = receiveEvent(messageId, "Bounce");
        assertEquals("Permanent", bounce.path("bounce").path("bounceType").asText());
        assertEquals("General", bounce.path("bounce").path("bounceSubType").asText());
        assertEquals(to, bounce.path("bounce").path("bouncedRecipients").get(0).path("emailAddress").asText());
        assertFalse(bounce.path("bounce").path("feedbackId").asText().isEmpty());
        assertFalse(bounce.path("bounce").path("timestamp").asText().isEmpty());
        JsonNode mail = bounce.path("mail");
        assertEquals("Comune <avvisi@" + domain + ">", mail.path("source").asText());
        assertEquals(to, mail.path("destination").get(0).asText());
        assertEquals(get("/_local/emails/" + messageId).statusCode(), 200);
        assertEquals(Json.MAPPER.readTree(get("/_local/emails/" + messageId).body()).path("sent_at").asText(),
                mail.path("timestamp").asText());
        assertEquals("01ARZ3NDEKTSV4RRFFQ69G5FAV", mail.path("tags").path("message_id").get(0).asText());
        assertEquals(configurationSet, mail.path("tags").path("ses:configuration-set").get(0).asText());

        assertEquals(200, post("/_local/emails/" + messageId + "/complaint").statusCode());
        JsonNode complaint = receiveEvent(messageId, "Complaint");
        assertEquals("abuse", complaint.path("complaint").path("complaintFeedbackType").asText());
        assertEquals(to, complaint.path("complaint").path("complainedRecipients").get(0).path("emailAddress").asText());
        assertFalse(complaint.path("complaint").path("feedbackId").asText().isEmpty());
        assertEquals(messageId, complaint.path("mail").path("messageId").asText());
    }

    @Test
    void feedbackNeedsAKnownEmailAndADestination() throws Exception {
        assertEquals(404, post("/_local/emails/no-such-email/bounce").statusCode());
        String withoutSet = ses.sendEmail(email("avvisi@" + domain, List.of(recipient()), null)).messageId();
        HttpResponse<byte[]> conflict = post("/_local/emails/" + withoutSet + "/complaint");
        assertEquals(409, conflict.statusCode());
        assertEquals("application/problem+json", conflict.headers().firstValue("Content-Type").orElse(""));
        String onlyDelivery = "ses-it-delivery-" + UUID.randomUUID().toString().substring(0, 8);
        ses.createConfigurationSet(b -> b.configurationSetName(onlyDelivery));
        ses.createConfigurationSetEventDestination(b -> b.configurationSetName(onlyDelivery).eventDestinationName("d")
                .eventDestination(d -> d.enabled(true).matchingEventTypes(EventType.DELIVERY)
                        .snsDestination(s -> s.topicArn(topicArn))));
        String delivered = ses.sendEmail(email("avvisi@" + domain, List.of(recipient()), onlyDelivery)).messageId();
        assertEquals(409, post("/_local/emails/" + delivered + "/bounce").statusCode());
    }

    @Test
    void theTemplatesSesResourcesAreProvisioned() throws Exception {
        String stackName = "ses-it-" + UUID.randomUUID().toString().substring(0, 8);
        Stack stack = new Stack(SamTemplate.load(Path.of("src/test/resources/ses-test-template.yaml")), stackName,
                LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID, Map.of());
        Provisioner provisioner = new Provisioner(stack, platform.dynamoDb(), platform.sqs(), platform.sns(), null, null,
                platform.ses());
        provisioner.provision();
        provisioner.provision();   // again, as on persisted state

        assertEquals(stackName + "-email", stack.resolveString(Map.of("Ref", "EmailConfigurationSet")));
        assertEquals(stackName + "-QuietConfigurationSet", stack.resolveString(Map.of("Ref", "QuietConfigurationSet")));
        assertEquals("notifiche.io.example.it", stack.resolveString(Map.of("Ref", "SenderDomainIdentity")));
        assertEquals(IdentityType.DOMAIN, ses.getEmailIdentity(b -> b.emailIdentity("notifiche.io.example.it")).identityType());
        assertEquals(IdentityType.EMAIL_ADDRESS,
                ses.getEmailIdentity(b -> b.emailIdentity("avvisi@comune.example.it")).identityType());
        var destinations = ses.getConfigurationSetEventDestinations(b -> b.configurationSetName(stackName + "-email"))
                .eventDestinations();
        assertEquals(1, destinations.size());
        assertEquals("email-events", destinations.get(0).name());
        assertTrue(destinations.get(0).enabled());
        assertEquals(java.util.Set.of(EventType.BOUNCE, EventType.COMPLAINT, EventType.RENDERING_FAILURE),
                java.util.Set.copyOf(destinations.get(0).matchingEventTypes()));
        assertEquals(stack.arn("EmailEventsTopic"), destinations.get(0).snsDestination().topicArn());
        assertFalse(ses.getConfigurationSetEventDestinations(b -> b.configurationSetName(stackName + "-QuietConfigurationSet"))
                .eventDestinations().get(0).enabled());

        // End to end on the provisioned resources: a bounce reaches the template's queue through its subscription.
        String to = recipient();
        String messageId = ses.sendEmail(email("avvisi@notifiche.io.example.it", List.of(to), stackName + "-email"))
                .messageId();
        assertEquals(200, post("/_local/emails/" + messageId + "/bounce").statusCode());
        JsonNode event = receiveEvent(stack.resolveString(Map.of("Ref", "EmailEventsQueue")), messageId, "Bounce");
        assertEquals(to, event.path("bounce").path("bouncedRecipients").get(0).path("emailAddress").asText());
        // The disabled destination publishes nothing.
        String quiet = ses.sendEmail(email("avvisi@comune.example.it", List.of(to), stackName + "-QuietConfigurationSet"))
                .messageId();
        assertEquals(409, post("/_local/emails/" + quiet + "/bounce").statusCode());
    }

    @Test
    void logsNameIdsAndCountsNeverAddressesSubjectsOrBodies() throws Exception {
        String to = recipient();
        String messageId = ses.sendEmail(email("avvisi@" + domain, List.of(to), configurationSet)).messageId();
        assertEquals(200, post("/_local/emails/" + messageId + "/bounce").statusCode());
        receiveEvent(messageId, "Bounce");
        List<String> lines = Secrets.captured();
        assertTrue(lines.stream().anyMatch(l -> l.contains("ses_email_accepted") && l.contains(messageId)), "accepted, by id");
        assertTrue(lines.stream().anyMatch(l -> l.contains("ses_event_published") && l.contains(messageId)), "published, by id");
        for (String line : lines) {
            for (String personal : List.of(to, domain, "Cefal", "avviso è pronto")) {
                assertFalse(line.contains(personal), "a log line shows " + personal + ": " + line);
            }
        }
    }

    @Test
    void theEndpointIsWhereFunctionsAndDemoJsonSayItIs() {
        assertEquals(platform.sesEndpoint().toString(), platform.runtimeVariables().get("AWS_ENDPOINT_URL_SESV2"));
        assertEquals(platform.sesEndpoint().toString(), TestPlatform.demoJson().path("ses_endpoint").asText());
        assertEquals(platform.sesEmulator().endpoint(), platform.sesEndpoint());
    }

    private static JsonNode receiveEvent(String messageId, String eventType) throws Exception {
        return receiveEvent(queueUrl, messageId, eventType);
    }

    /** The SES event record of this email and type from the queue, out of its SNS envelope (long polls, no sleeps). */
    private static JsonNode receiveEvent(String queue, String messageId, String eventType) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            for (Message message : platform.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                platform.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                JsonNode envelope = Json.MAPPER.readTree(message.body());
                assertEquals("Notification", envelope.path("Type").asText());
                JsonNode record = Json.MAPPER.readTree(envelope.path("Message").asText());
                if (record.path("mail").path("messageId").asText().equals(messageId)
                        && record.path("eventType").asText().equals(eventType)) {
                    return record;
                }
            }
        }
        throw new AssertionError("no " + eventType + " event of " + messageId + " in " + queue);
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiBaseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiBaseUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
