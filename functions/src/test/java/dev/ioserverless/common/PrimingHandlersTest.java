package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ioserverless.inbox.GetUserMessageHandler;
import dev.ioserverless.inbox.GetUserMessagesHandler;
import dev.ioserverless.inbox.UpsertMessageStatusHandler;
import dev.ioserverless.messages.GetMessageHandler;
import dev.ioserverless.messages.MessageDeadLetterHandler;
import dev.ioserverless.messages.ProcessMessageHandler;
import dev.ioserverless.messages.SubmitMessageBatchHandler;
import dev.ioserverless.messages.SubmitMessageHandler;
import dev.ioserverless.payments.GetUserReceiptHandler;
import dev.ioserverless.payments.GetUserReceiptPdfHandler;
import dev.ioserverless.payments.GetUserReceiptsHandler;
import dev.ioserverless.profiles.GetProfileHandler;
import dev.ioserverless.profiles.GetUserProfileHandler;
import dev.ioserverless.profiles.ServicePreferencesHandler;
import dev.ioserverless.profiles.UpdateProfileHandler;
import dev.ioserverless.push.CreateOrUpdateInstallationHandler;
import dev.ioserverless.push.PushDeadLetterHandler;
import dev.ioserverless.push.PushNotificationHandler;
import dev.ioserverless.reminders.PaymentRemindersHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every handler's priming, built from configuration as Lambda builds it, against an AWS that
 * denies every call (as IAM denies a call a function's policy does not allow). Priming goes on
 * regardless, logs a warning per denied step, and calls nothing but reads. A handler that writes
 * answers its priming request before any AWS call: the only requests are its explicit read steps.
 */
@ExpectedErrors("request_failed")
class PrimingHandlersTest {
    static final String GET_ITEM = "DynamoDB_20120810.GetItem";
    static final String QUEUE_ATTRIBUTES = "AmazonSQS.GetQueueAttributes";
    static final String TOPIC_ATTRIBUTES = "SNS.GetTopicAttributes";
    static final String ENDPOINT_ATTRIBUTES = "SNS.GetEndpointAttributes";
    static final Set<String> READS = Set.of(GET_ITEM, "DynamoDB_20120810.Query", "DynamoDB_20120810.BatchGetItem",
            QUEUE_ATTRIBUTES, TOPIC_ATTRIBUTES, ENDPOINT_ATTRIBUTES);

    HttpServer aws;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param calls for a handler that writes, exactly the AWS calls of its priming (its own path
     *     makes none); null for a read-only handler, whose own path reads too
     */
    static Stream<Arguments> handlers() {
        return Stream.of(
                writes(SubmitMessageHandler::new, GET_ITEM, QUEUE_ATTRIBUTES),
                writes(SubmitMessageBatchHandler::new, GET_ITEM, QUEUE_ATTRIBUTES),
                writes(GetMessageHandler::new, GET_ITEM),   // its pipeline counts requests
                writes(GetProfileHandler::new, GET_ITEM),   // its pipeline counts requests
                writes(UpdateProfileHandler::new, GET_ITEM, QUEUE_ATTRIBUTES),
                writes(UpsertMessageStatusHandler::new, GET_ITEM),
                writes(CreateOrUpdateInstallationHandler::new, GET_ITEM, ENDPOINT_ATTRIBUTES),
                writes(ProcessMessageHandler::new, GET_ITEM, TOPIC_ATTRIBUTES),
                writes(MessageDeadLetterHandler::new, GET_ITEM),
                writes(PushNotificationHandler::new, GET_ITEM, ENDPOINT_ATTRIBUTES),
                writes(PushDeadLetterHandler::new, GET_ITEM),
                reads(GetUserProfileHandler::new),
                // Nobody's profile: read, found absent, a 404 before any token is made or email sent.
                reads(dev.ioserverless.profiles.StartEmailValidationProcessHandler::new),
                // A malformed token: the invalid-link page before anything is read or counted.
                writes(dev.ioserverless.profiles.ValidateProfileEmailHandler::new, GET_ITEM, GET_ITEM),
                reads(ServicePreferencesHandler::new),
                reads(GetUserMessagesHandler::new),
                reads(GetUserMessageHandler::new),
                reads(GetUserReceiptsHandler::new),
                reads(GetUserReceiptHandler::new),
                reads(GetUserReceiptPdfHandler::new),
                writes(dev.ioserverless.payments.PaymentCallbackHandler::new, GET_ITEM),   // refuses the unsigned request first
                reads(dev.ioserverless.inbox.GetPaymentInfoHandler::new),
                writes(dev.ioserverless.documents.RemoteContentConfigurationsHandler::new, GET_ITEM),
                writes(dev.ioserverless.documents.CreateDocumentHandler::new, GET_ITEM),
                reads(dev.ioserverless.documents.ThirdPartyMessagesHandler::new),
                writes(dev.ioserverless.email.EmailNotificationHandler::new, GET_ITEM),
                // A run reads the reminders index (and, had anything been due, would go on from there).
                reads(PaymentRemindersHandler::new),
                // A run queries each shard of the outbox and finds nothing due in 1970.
                reads(dev.ioserverless.messages.SweepPendingMessagesHandler::new));
    }

    static Arguments writes(Function<Config, Priming.Primed> handler, String... calls) {
        return Arguments.of(handler, List.of(calls));
    }

    static Arguments reads(Function<Config, Priming.Primed> handler) {
        return Arguments.of(handler, null);
    }

    @BeforeEach
    void startDenyingAws() throws IOException {
        aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        aws.createContext("/", this::deny);
        aws.start();
    }

    @AfterEach
    void stop() {
        aws.stop(0);
    }

    @ParameterizedTest
    @MethodSource("handlers")
    void primingReadsOnlyAndSurvivesEveryCallBeingDenied(Function<Config, Priming.Primed> build, List<String> expected) {
        Priming.Primed handler = build.apply(config());
        Priming.Report report;
        List<JsonNode> events;
        String text;
        try (LogCapture logs = new LogCapture()) {
            report = handler.prime();
            events = logs.events();
            text = logs.text();
        }
        assertTrue(report.succeeded().contains("json"), report.toString());
        assertTrue(calls.stream().allMatch(READS::contains), "only reads: " + calls);
        if (expected != null) {
            assertEquals(expected, calls, "the handler's own path makes no AWS call");
            assertTrue(report.succeeded().contains("handler"), report.toString());
        }
        assertFalse(report.failed().isEmpty(), "every AWS call was denied: " + report);
        List<JsonNode> warnings = events.stream().filter(e -> e.path("event").asText().equals("priming_step_failed")).toList();
        assertEquals(report.failed(), warnings.stream().map(e -> e.path("step").asText()).toList(), text);
        warnings.stream().filter(e -> !e.path("step").asText().equals("handler")).forEach(warning ->
                assertTrue(Set.of("AccessDeniedException", "AccessDenied", "AuthorizationError")
                        .contains(warning.path("error_code").asText()), warning.toString()));
        // (A read-only handler's own request_failed line names the SDK's error, as every such line does.)
        assertFalse(warnings.toString().contains("arn:aws:sts"), "the warnings carry no AWS message: " + warnings);
        assertFalse(text.contains(Priming.NOBODY), "no fiscal code in the log: " + text);
    }

    Config config() {
        String endpoint = "http://127.0.0.1:" + aws.getAddress().getPort();
        Map<String, String> values = new HashMap<>();
        for (String table : List.of("MESSAGES", "MESSAGE_STATUS", "SERVICES", "API_KEYS", "RATE_LIMITS", "IDEMPOTENCY",
                "PROFILES", "SERVICE_PREFERENCES", "INSTALLATIONS", "PUSH_DELIVERIES", "RECEIPTS", "PENDING_MESSAGES",
                "REMOTE_CONTENT_CONFIGURATIONS", "DOCUMENTS", "VALIDATED_EMAILS", "EMAIL_VALIDATION_TOKENS",
                "EMAIL_DELIVERIES")) {
            values.put(table + "_TABLE", "priming-test-" + table);
        }
        values.put("MESSAGE_CREATED_QUEUE_URL", endpoint + "/123456789012/message-created");
        values.put("MESSAGE_EVENTS_TOPIC_ARN", "arn:aws:sns:eu-south-1:123456789012:message-events");
        values.put("APNS_PLATFORM_APPLICATION_ARN", "arn:aws:sns:eu-south-1:123456789012:app/APNS/io-apns");
        values.put("FCM_PLATFORM_APPLICATION_ARN", "arn:aws:sns:eu-south-1:123456789012:app/GCM/io-fcm");
        values.put("WELCOME_SERVICE_ID", "io-welcome");
        values.put("EMAIL_FROM_ADDRESS", "noreply@io-serverless.example");
        values.put("EMAIL_CONFIGURATION_SET", "priming-test-emails");
        values.put("REMOTE_CONTENT_KEY_ID", "arn:aws:kms:eu-south-1:123456789012:key/priming-test");
        values.put("DOCUMENTS_BUCKET", "priming-test-documents");
        values.put("APP_MESSAGE_URL", "https://app.example/messages/{id}");
        values.put("DEAD_LETTER_ARCHIVE_QUEUE_URL", endpoint + "/123456789012/dead-letter-archive");
        values.put("LOG_HASH_KEY", "priming-test-log-hash-key-0123456789");
        values.put("PAYMENT_CALLBACK_SECRET_PARAMETER", "/priming-test/payment-callback-secrets");
        values.put("AWS_REGION", "eu-south-1");
        values.put("AWS_ACCESS_KEY_ID", "test");
        values.put("AWS_SECRET_ACCESS_KEY", "test");
        values.put("AWS_ENDPOINT_URL", endpoint);
        return Config.of(values);
    }

    /** Records the action and answers as AWS does when IAM denies it: DynamoDB and SQS in JSON, SNS in XML. */
    void deny(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String reply;
        int status;
        if (target != null) {
            calls.add(target);
            status = 400;
            String code = target.startsWith("AmazonSQS.") ? "com.amazonaws.sqs#AccessDenied" : "AccessDeniedException";
            reply = "{\"__type\":\"" + code + "\",\"message\":\"User: arn:aws:sts::123456789012:assumed-role/fn is not authorized\"}";
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            if (target.startsWith("AmazonSQS.")) {
                exchange.getResponseHeaders().add("x-amzn-query-error", "AccessDenied;Sender");
            }
        } else {
            calls.add("SNS." + form(body).get("Action"));
            status = 403;
            reply = "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
                    + "<Code>AuthorizationError</Code><Message>User: arn:aws:sts::123456789012:assumed-role/fn is not"
                    + " authorized</Message></Error><RequestId>priming-test</RequestId></ErrorResponse>";
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
