package dev.ioserverless.reminders;

import static dev.ioserverless.reminders.ReminderFixture.CITIZEN;
import static dev.ioserverless.reminders.ReminderScheduleTest.DUE;
import static dev.ioserverless.reminders.ReminderScheduleTest.rome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.ExpectedErrors;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.LogCapture;
import dev.ioserverless.common.SampleEvents;
import dev.ioserverless.push.Installation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduled handler: its "now" comes from the event, it answers a summary, it logs one line per message. */
class PaymentRemindersHandlerTest {
    final ReminderFixture f = new ReminderFixture();

    @SuppressWarnings("unchecked")
    static Map<String, Object> event(String json) {
        return Json.MAPPER.convertValue(Json.read(json), Map.class);
    }

    @Test
    void itRunsAsOfTheScheduledTimeEventBridgeSchedulerFillsIn() {
        f.citizen(CITIZEN, "ENABLED", null);
        Installation phone = f.device(CITIZEN, "phone");
        f.message(DUE, rome("2027-01-01T10:00"));
        Map<String, Object> summary = f.handler.handleRequest(Map.of("time", "2027-01-07T08:00:00Z"), null);
        assertEquals("2027-01-07T08:00:00.000Z", summary.get("now"));
        assertEquals(true, summary.get("sending_hours"));
        assertEquals(1, summary.get("found"));
        assertEquals(1, summary.get("sent"));
        assertEquals(0, summary.get("failed"));
        assertEquals(1, f.pushesTo(phone).size());
    }

    @Test
    void anEventBridgeScheduledEventWorksTooAndWithoutATimeTheClockIsNow() {
        Instant now = f.handler.timeOf(event("{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                + "\"time\":\"2027-01-07T08:00:00Z\",\"detail\":{}}"));
        assertEquals(Instant.parse("2027-01-07T08:00:00Z"), now);
        assertEquals(f.clock.instant(), f.handler.timeOf(Map.of()));
        assertEquals(f.clock.instant(), f.handler.timeOf(null));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> f.handler.handleRequest(Map.of("time", "<aws.scheduler.scheduled-time>"), null));
        assertTrue(refused.getMessage().startsWith("time:"), refused.getMessage());
    }

    @Test
    void outsideTheHoursTheSummarySaysSo() {
        Map<String, Object> summary = f.handler.handleRequest(Map.of("time", "2027-01-07T21:30:00Z"), null);
        assertEquals(false, summary.get("sending_hours"));
        assertEquals(0, summary.get("found"));
    }

    @Test
    void theSampleEventIsARunAsOfItsTime() {
        Map<String, Object> sample = event(SampleEvents.load("PaymentRemindersFunction"));
        Map<String, Object> summary = f.handler.handleRequest(sample, null);
        assertEquals("2026-01-15T09:00:00.000Z", summary.get("now"));
        assertEquals(true, summary.get("sending_hours"), "10:00 in Rome");
    }

    @Test
    @ExpectedErrors("payment_reminder")
    void oneLineAMessageWithoutFiscalCodeSubjectOrToken() {
        f.citizen(CITIZEN, "ENABLED", "FULL");
        Installation phone = f.device(CITIZEN, "phone");
        String sent = f.message(DUE, rome("2027-01-01T10:00"));
        String broken = f.message(DUE, rome("2027-01-01T10:00:01"));
        f.store.failAdvancesOf = broken;
        List<JsonNode> events;
        String text;
        try (LogCapture logs = new LogCapture()) {
            // The second message's write fails: an ERROR line for it, and the run goes on.
            f.handler.handleRequest(Map.of("time", "2027-01-07T08:00:00Z"), null);
            events = logs.events();
            text = logs.text();
        }
        List<JsonNode> lines = events.stream().filter(e -> e.path("event").asText().equals("payment_reminder")).toList();
        assertEquals(2, lines.size(), text);
        JsonNode ok = lines.stream().filter(l -> l.path("message_id").asText().equals(sent)).findFirst().orElseThrow();
        assertEquals("INFO", ok.path("level").asText());
        assertEquals("SENT", ok.path("outcome").asText());
        assertEquals("REMINDER_PAYMENT#1", ok.path("reminder").asText());
        assertEquals(1, ok.path("sent").asInt());
        assertEquals(f.log.fiscalCodeRef(CITIZEN), ok.path("fiscal_code_ref").asText());
        JsonNode failed = lines.stream().filter(l -> l.path("message_id").asText().equals(broken)).findFirst().orElseThrow();
        assertEquals("ERROR", failed.path("level").asText());
        assertEquals("FAILED", failed.path("outcome").asText());
        JsonNode run = events.stream().filter(e -> e.path("event").asText().equals("payment_reminders_run")).findFirst()
                .orElseThrow();
        assertEquals(1, run.path("sent").asInt());
        assertEquals(1, run.path("failed").asInt());
        assertFalse(text.contains(CITIZEN), "no fiscal code in clear");
        assertFalse(text.contains(ReminderFixture.SUBJECT), "no subject");
        assertFalse(text.contains(phone.pushChannel()), "no device token");
        assertEquals(1, f.pushesTo(phone).stream().filter(p -> p.notification().messageId().equals(sent)).count());
    }
}
