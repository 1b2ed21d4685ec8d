package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.reminders.ReminderNotifications;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * IO's payment reminders end to end over HTTP: ADVANCED payment messages with a due date sent through
 * the Services API to citizens set up through the citizen API (reminders, push content, preferences,
 * devices), and the scheduled function run through {@code POST /_local/schedules/.../run?now=} as of
 * chosen instants around the due date. Each run is synchronous: what a device got is asserted as
 * soon as the run returns. Due dates are chosen from the platform's clock, so every message is fresh
 * when it is submitted.
 */
class PaymentRemindersIT {
    static final ZoneId ROME = ZoneId.of("Europe/Rome");
    static final String FUNCTION = "PaymentRemindersFunction";
    static final List<Integer> HOURS = List.of(9, 12, 15, 18);
    static final OpenApiContract SPEC = OpenApiContract.load(java.nio.file.Path.of("..", "openapi.yaml"));

    // ---------------------------------------------------------------- helpers

    /** A citizen who accepted the terms in AUTO mode with reminders as given, set up through the citizen API. */
    record Citizen(String fiscalCode, String token) {
    }

    static Citizen citizen(String reminderStatus) {
        String fiscalCode = FiscalCodes.random();
        String token = CitizenApiIT.token(fiscalCode);
        HttpResponse<String> profile = CitizenApiIT.postProfile(token, "{\"version\":0,\"accepted_tos_version\":4,"
                + "\"reminder_status\":\"" + reminderStatus + "\",\"service_preferences_settings\":{\"mode\":\"AUTO\"}}");
        assertEquals(200, profile.statusCode(), profile.body());
        return new Citizen(fiscalCode, token);
    }

    /** A phone registered through the citizen API; its push token, under which /_local/push-deliveries lists its pushes. */
    static String device(Citizen citizen) {
        String pushToken = InstallationsIT.deviceToken();
        HttpResponse<String> response = InstallationsIT.put(citizen.token(), "phone-" + UUID.randomUUID(),
                "{\"platform\":\"apns\",\"pushChannel\":\"" + pushToken + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return pushToken;
    }

    static TestService service() {
        return TestData.service(AdvancedMessageIT.ADVANCED_READER, java.util.Set.of(), List.of(), 1_000_000, 150);
    }

    /** The due date's day in Rome: far enough ahead of the platform's clock for the whole timeline to lie ahead. */
    static LocalDate dueDay() {
        return TestPlatform.clock().now().atZone(ROME).toLocalDate().plusDays(16);
    }

    static Instant rome(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(ROME).toInstant();
    }

    static String payment(String featureLevel, LocalDate dueDay) {
        String notice = "3" + String.format("%017d", ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
        return "{\"feature_level_type\":\"" + featureLevel + "\",\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\""
                + MARKDOWN + "\",\"due_date\":\"" + rome(dueDay, 12, 0) + "\",\"payment_data\":{\"amount\":12050,"
                + "\"notice_number\":\"" + notice + "\"}}}";
    }

    /** Submits a message and waits for it to be PROCESSED (in the citizen's inbox). */
    static String send(TestService service, Citizen citizen, String body) {
        HttpResponse<String> created = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen.fiscalCode(), body);
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        TestPlatform.await(() -> "PROCESSED".equals(detail(service, citizen, id).path("status").asText()),
                Duration.ofSeconds(10), id + " PROCESSED");
        return id;
    }

    /** The sender's v2 view of the message, checked against openapi.yaml. */
    static JsonNode detail(TestService service, Citizen citizen, String id) {
        HttpResponse<String> response = TestData.get(service.primaryKey(), "/api/v2/messages/" + citizen.fiscalCode() + "/" + id);
        assertEquals(200, response.statusCode(), response.body());
        SPEC.assertConforms(response);
        return Json.read(response.body());
    }

    /** Runs the schedule as of {@code now}; returns the run's summary. */
    static JsonNode run(Instant now) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                TestPlatform.url("/_local/schedules/" + FUNCTION + "/run?now=" + now)).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body()).path("result");
    }

    /** The reminder pushes a device got for a message, oldest first (its own MESSAGE push left out). */
    static List<JsonNode> reminders(String pushToken, String messageId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode delivery : PushNotificationIT.pushesOf(pushToken, messageId)) {
            String title = delivery.path("payload").path("aps").path("alert").path("title").asText();
            if (title.equals(ReminderNotifications.PAYMENT_TITLE) || title.equals(ReminderNotifications.LAST_TITLE)) {
                found.add(delivery);
            }
        }
        return found;
    }

    static List<String> titles(List<JsonNode> pushes) {
        return pushes.stream().map(p -> p.path("payload").path("aps").path("alert").path("title").asText()).toList();
    }

    /** The sender's list: each reminder's kind and its day in Rome. */
    static List<String> listed(JsonNode detail) {
        List<String> listed = new ArrayList<>();
        detail.path("reminders").forEach(r -> listed.add(r.path("kind").asText() + " "
                + Instant.parse(r.path("sent_at").asText()).atZone(ROME).toLocalDate()));
        return listed;
    }

    /** What the payment side does when a message is paid (to be replaced by the real callback). */
    /** The payment platform's receipt for the message's notice, through the signed callback. */
    static void pay(String messageId) {
        LocalPlatform platform = TestPlatform.get();
        String rptId = platform.dynamoDb().getItem(b -> b.tableName(platform.physicalName("MessageStatusTable"))
                .key(Map.of("id", AttributeValue.fromS(messageId))).consistentRead(true)).item().get("rpt_id").s();
        assertEquals(PaymentCallbackIT.PAYEE, rptId.substring(0, 11));
        HttpResponse<String> paid = PaymentCallbackIT.signedCallback(PaymentCallbackIT.receiptBody(
                "receipt-" + UUID.randomUUID(), rptId.substring(11), 12050, null, null));
        assertEquals(200, paid.statusCode(), paid.body());
    }

    /** Runs at 09:00, 12:00, 15:00 and 18:00 Rome time, and at 06:00 and 22:00 (outside the hours), on each day from {@code from} to {@code to}. */
    static void runDays(LocalDate from, LocalDate to) {
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            assertFalse(run(rome(day, 6, 0)).path("sending_hours").asBoolean());
            for (int hour : HOURS) {
                JsonNode result = run(rome(day, hour, 0));
                assertTrue(result.path("sending_hours").asBoolean());
                assertEquals(0, result.path("failed").asInt(), result.toString());
            }
            assertFalse(run(rome(day, 22, 0)).path("sending_hours").asBoolean());
        }
    }

    // ---------------------------------------------------------------- the timeline

    /**
     * Twenty days around a due date D, six runs a day: four REMINDER_PAYMENTs (D-13, D-10, D-7, D-4,
     * three days apart) and the REMINDER_PAYMENT_LAST on D-1 reach each device once; none on D or
     * after. A second message, paid after its second reminder, gets nothing more.
     */
    @Test
    void theReminderTimeline() {
        TestService service = service();
        Citizen citizen = citizen("ENABLED");
        String phone = device(citizen);
        String tablet = device(citizen);
        LocalDate d = dueDay();
        String id = send(service, citizen, payment("ADVANCED", d));
        String paidLater = send(service, citizen, payment("ADVANCED", d));
        assertEquals(List.of(), listed(detail(service, citizen, id)), "reminders are listed, none yet");

        runDays(d.minusDays(15), d.minusDays(10));
        assertEquals(2, reminders(phone, paidLater).size());
        pay(paidLater);
        runDays(d.minusDays(9), d.plusDays(4));

        List<String> expected = List.of("REMINDER_PAYMENT " + d.minusDays(13), "REMINDER_PAYMENT " + d.minusDays(10),
                "REMINDER_PAYMENT " + d.minusDays(7), "REMINDER_PAYMENT " + d.minusDays(4),
                "REMINDER_PAYMENT_LAST " + d.minusDays(1));
        JsonNode view = detail(service, citizen, id);
        assertEquals(expected, listed(view));
        view.path("reminders").forEach(r -> assertEquals(LocalTime.of(9, 0),
                Instant.parse(r.path("sent_at").asText()).atZone(ROME).toLocalTime(), "the first run of the day, 09:00"));
        assertEquals("NOT_PAID", view.path("payment_status").asText());
        for (String device : List.of(phone, tablet)) {
            List<JsonNode> pushes = reminders(device, id);
            assertEquals(List.of(ReminderNotifications.PAYMENT_TITLE, ReminderNotifications.PAYMENT_TITLE,
                    ReminderNotifications.PAYMENT_TITLE, ReminderNotifications.PAYMENT_TITLE,
                    ReminderNotifications.LAST_TITLE), titles(pushes), "each reminder once, in order");
            pushes.forEach(p -> {
                assertEquals("ioit://messages/" + id, p.path("payload").path("deep_link").asText());
                assertEquals(ReminderNotifications.BODY, p.path("payload").path("aps").path("alert").path("body").asText(),
                        "anonymous: the citizen never chose FULL content");
                assertFalse(p.toString().contains(SUBJECT), "no subject in an anonymous push");
            });
            TestPlatform.await(() -> PushNotificationIT.pushesOf(device, id).size() == pushes.size() + 1,
                    Duration.ofSeconds(10), "and the message's own push, told apart by its kind");
        }

        assertEquals(2, reminders(phone, paidLater).size(), "nothing after the payment");
        assertEquals(List.of("REMINDER_PAYMENT " + d.minusDays(13), "REMINDER_PAYMENT " + d.minusDays(10)),
                listed(detail(service, citizen, paidLater)));
    }

    // ---------------------------------------------------------------- who gets none

    /** None outside 08:00-21:00 Rome time; the first run at 08:00 sends. */
    @Test
    void noneOutsideTheHours() {
        TestService service = service();
        Citizen citizen = citizen("ENABLED");
        String phone = device(citizen);
        LocalDate d = dueDay();
        String id = send(service, citizen, payment("ADVANCED", d));
        LocalDate first = d.minusDays(13);
        for (Instant outside : List.of(rome(first, 0, 30), rome(first, 7, 59), rome(first.minusDays(1), 21, 0),
                rome(first, 21, 0), rome(first, 23, 30))) {
            JsonNode result = run(outside);
            assertFalse(result.path("sending_hours").asBoolean(), outside.toString());
            assertEquals(0, result.path("found").asInt(), "not even the index is read");
        }
        assertEquals(0, reminders(phone, id).size());
        run(rome(first, 8, 0));
        assertEquals(1, reminders(phone, id).size());
        assertEquals(List.of("REMINDER_PAYMENT " + first), listed(detail(service, citizen, id)));
    }

    /**
     * None for a STANDARD message, for a citizen with reminders DISABLED, or one who turned off the
     * service's pushes; the ADVANCED message of a citizen with reminders on, run alongside, gets its own.
     */
    @Test
    void noneForStandardMessagesRemindersOffOrTheServicesPushBlocked() {
        TestService service = service();
        LocalDate d = dueDay();
        Citizen reminded = citizen("ENABLED");
        String remindedPhone = device(reminded);
        String control = send(service, reminded, payment("ADVANCED", d));
        String standard = send(service, reminded, payment("STANDARD", d));

        Citizen off = citizen("DISABLED");
        String offPhone = device(off);
        String toOff = send(service, off, payment("ADVANCED", d));

        Citizen blocking = citizen("ENABLED");
        String blockingPhone = device(blocking);
        int settings = Json.read(CitizenApiIT.preference(blocking.token(), service.id(), null).body())
                .path("settings_version").asInt();
        HttpResponse<String> blocked = CitizenApiIT.preference(blocking.token(), service.id(),
                "{\"is_inbox_enabled\":true,\"is_email_enabled\":true,\"is_webhook_enabled\":false,\"settings_version\":"
                        + settings + "}");
        assertEquals(200, blocked.statusCode(), blocked.body());
        String toBlocking = send(service, blocking, payment("ADVANCED", d));

        for (LocalDate day : List.of(d.minusDays(13), d.minusDays(10), d.minusDays(7), d.minusDays(4), d.minusDays(1))) {
            run(rome(day, 9, 0));
        }
        assertEquals(5, reminders(remindedPhone, control).size(), "the control message got all five");
        assertEquals(0, reminders(remindedPhone, standard).size(), "a STANDARD message has no reminders");
        assertFalse(detail(service, reminded, standard).has("reminders"), "nor a list of them");
        assertEquals(0, reminders(offPhone, toOff).size(), "reminders DISABLED");
        assertEquals(List.of(), listed(detail(service, off, toOff)), "the sender sees none sent");
        assertEquals(0, reminders(blockingPhone, toBlocking).size(), "the service's pushes turned off");
        assertEquals(List.of(), listed(detail(service, blocking, toBlocking)));
        TestPlatform.await(() -> PushNotificationIT.pushesOf(offPhone, toOff).size() == 1, Duration.ofSeconds(10),
                "the message's own push arrives: only reminders are off");
    }

    // ---------------------------------------------------------------- never twice

    /**
     * SNS fails every publish to one of the citizen's two devices during a run: the other device gets
     * the reminder, nothing is recorded, and the next run pushes only the device that missed it.
     */
    @Test
    void noneTwiceAfterAFailureMidRun() {
        TestService service = service();
        Citizen citizen = citizen("ENABLED");
        String phone = device(citizen);
        String tablet = device(citizen);
        LocalDate d = dueDay();
        String id = send(service, citizen, payment("ADVANCED", d));
        LocalDate first = d.minusDays(13);
        // The message's own push must be done first: failed by the hook below, it would be retried a
        // visibility timeout later, long after this test, while later tests expect the pipeline idle.
        TestPlatform.await(() -> PushNotificationIT.pushesOf(phone, id).size() == 1
                        && PushNotificationIT.pushesOf(tablet, id).size() == 1,
                Duration.ofSeconds(10), "the message pushed to both devices");

        var sns = TestPlatform.get().snsEmulator();
        sns.failPublishesTo(tablet, "InternalError");
        JsonNode failing;
        try {
            failing = run(rome(first, 9, 0));
        } finally {
            sns.stopFailingPublishesTo(tablet);
        }
        assertTrue(failing.path("unfinished").asInt() >= 1, failing.toString());
        assertEquals(1, reminders(phone, id).size(), "the phone got it");
        assertEquals(0, reminders(tablet, id).size(), "the tablet did not");
        assertEquals(List.of(), listed(detail(service, citizen, id)), "not recorded: the reminder is still due");

        run(rome(first, 12, 0));
        assertEquals(1, reminders(phone, id).size(), "the ledger stops a second push to the phone");
        assertEquals(1, reminders(tablet, id).size(), "the tablet gets it on the next run");
        JsonNode view = detail(service, citizen, id);
        assertEquals(List.of("REMINDER_PAYMENT " + first), listed(view));
        assertEquals(rome(first, 12, 0), Instant.parse(view.path("reminders").get(0).path("sent_at").asText()));

        run(rome(d.minusDays(10), 12, 0));
        for (String device : List.of(phone, tablet)) {
            assertEquals(2, reminders(device, id).size(), "each device, each reminder, once");
        }
    }

    /** The schedule run twice at the same instant sends nothing new. */
    @Test
    void aDoubleRunAtTheSameInstantSendsNothingNew() {
        TestService service = service();
        Citizen citizen = citizen("ENABLED");
        String phone = device(citizen);
        LocalDate d = dueDay();
        String id = send(service, citizen, payment("ADVANCED", d));
        Instant at = rome(d.minusDays(13), 9, 0);

        run(at);
        assertEquals(1, reminders(phone, id).size());
        JsonNode again = run(at);
        assertEquals(0, again.path("failed").asInt(), again.toString());
        assertEquals(1, reminders(phone, id).size(), "nothing new on the phone");
        assertEquals(List.of("REMINDER_PAYMENT " + d.minusDays(13)), listed(detail(service, citizen, id)));
    }
}
