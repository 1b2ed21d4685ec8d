package dev.ioserverless.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local scheduler's own timer and the events it fires, read from a template as the platform reads it. */
class SchedulerTest {

    private static FunctionSpec function(Path dir, String events) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, String.join("\n",
                "Transform: AWS::Serverless-2016-10-31",
                "Resources:",
                "  Job:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Handler: x.Y::handleRequest",
                "      Events:",
                events,
                ""));
        Stack stack = new Stack(SamTemplate.load(file), "t", "eu-south-1", "000000000000", Map.of());
        return FunctionSpec.all(stack).get(0);
    }

    @Test
    void aScheduleV2FiresAtItsWallClockTimesInItsTimeZone(@TempDir Path dir) throws Exception {
        FunctionSpec spec = function(dir, String.join("\n",
                "        Hourly:",
                "          Type: ScheduleV2",
                "          Properties:",
                "            ScheduleExpression: cron(0 8-20 * * ? *)",
                "            ScheduleExpressionTimezone: Europe/Rome",
                "            Input: '{\"time\":\"<aws.scheduler.scheduled-time>\",\"attempt\":\"<aws.scheduler.attempt-number>\"}'"));
        FunctionSpec.ScheduleTrigger trigger = spec.schedules().get(0);
        assertEquals(ZoneId.of("Europe/Rome"), trigger.timezone());
        assertTrue(trigger.eventBridgeScheduler());
        ScheduleExpression expression = ScheduleExpression.parse(trigger.expression());
        // 07:30 UTC in December is 08:30 in Rome: the next firing is 09:00 Rome, 08:00 UTC (not 08:00 UTC read as UTC's 08).
        assertEquals(Instant.parse("2026-12-03T08:00:00Z"),
                Scheduler.nextFiring(trigger, expression, Instant.parse("2026-12-03T07:30:00Z")));
        // 19:30 UTC is 20:30 in Rome: nothing until 08:00 Rome the next day.
        assertEquals(Instant.parse("2026-12-04T07:00:00Z"),
                Scheduler.nextFiring(trigger, expression, Instant.parse("2026-12-03T19:30:00Z")));
        // In summer the same schedule fires an hour earlier in UTC.
        assertEquals(Instant.parse("2026-07-01T06:00:00Z"),
                Scheduler.nextFiring(trigger, expression, Instant.parse("2026-06-30T19:30:00Z")));

        JsonNode event = (JsonNode) Scheduler.event(spec.logicalId(), trigger, Instant.parse("2026-12-03T08:00:00Z"),
                "eu-south-1", "000000000000");
        assertEquals("2026-12-03T08:00:00Z", event.path("time").asText(), "the scheduled time, as EventBridge Scheduler fills it in");
        assertEquals("1", event.path("attempt").asText());
    }

    @Test
    void aScheduleRuleReadsItsCronInUtcAndSendsTheScheduledEvent(@TempDir Path dir) throws Exception {
        FunctionSpec spec = function(dir, String.join("\n",
                "        Daily:",
                "          Type: Schedule",
                "          Properties:",
                "            Schedule: cron(0 8 * * ? *)"));
        FunctionSpec.ScheduleTrigger trigger = spec.schedules().get(0);
        assertEquals(ZoneOffset.UTC, trigger.timezone());
        assertEquals(Instant.parse("2026-12-04T08:00:00Z"), Scheduler.nextFiring(trigger,
                ScheduleExpression.parse(trigger.expression()), Instant.parse("2026-12-03T08:30:00Z")));
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) Scheduler.event(spec.logicalId(), trigger,
                Instant.parse("2026-12-04T08:00:00Z"), "eu-south-1", "000000000000");
        assertEquals("Scheduled Event", event.get("detail-type"));
        assertEquals("2026-12-04T08:00:00Z", event.get("time"));
    }

    @Test
    void anUnknownTimeZoneIsRefusedWhenTheTemplateIsRead(@TempDir Path dir) {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> function(dir, String.join("\n",
                        "        Hourly:",
                        "          Type: ScheduleV2",
                        "          Properties:",
                        "            ScheduleExpression: rate(1 hour)",
                        "            ScheduleExpressionTimezone: Europe/Atlantis")));
        assertTrue(refused.getMessage().contains("ScheduleExpressionTimezone"), refused.getMessage());
    }
}
