package dev.ioserverless.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class PrimingTest {
    final Log log = new Log("PrimingTest", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final List<String> ran = new ArrayList<>();

    Priming.Step step(String name) {
        return new Priming.Step(name, () -> ran.add(name));
    }

    @Test
    void theCheckpointHookRunsEveryStepInOrder() throws Exception {
        Priming priming = new Priming(log, List.of(step("a"), step("b"), step("c")));
        priming.beforeCheckpoint(null);
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(new Priming.Report(List.of("a", "b", "c"), List.of()), priming.run(), "run() is the same work");
    }

    @Test
    void afterARestoreNothingRuns() throws Exception {
        new Priming(log, List.of(step("a"))).afterRestore(null);
        assertEquals(List.of(), ran);
    }

    @Test
    void aFailingStepIsSwallowedAndLoggedAsOneWarningWithoutItsMessage() {
        Priming priming = new Priming(log, List.of(step("a"),
                new Priming.Step("b", () -> {
                    throw new IllegalStateException("profile of RSSMRA80A01H501U with key abc123");
                }),
                step("c")));
        Priming.Report report;
        List<JsonNode> events;
        String text;
        try (LogCapture logs = new LogCapture()) {
            report = priming.run();
            events = logs.events();
            text = logs.text();
        }
        assertEquals(new Priming.Report(List.of("a", "c"), List.of("b")), report);
        assertEquals(List.of("a", "c"), ran, "the steps after a failure still run");
        List<JsonNode> warnings = events.stream().filter(e -> e.path("level").asText().equals("WARN")).toList();
        assertEquals(1, warnings.size(), text);
        assertEquals("priming_step_failed", warnings.get(0).path("event").asText());
        assertEquals("b", warnings.get(0).path("step").asText());
        assertEquals("java.lang.IllegalStateException", warnings.get(0).path("error").asText());
        assertTrue(events.stream().noneMatch(e -> e.path("level").asText().equals("ERROR")), text);
        assertFalse(text.contains("RSSMRA80A01H501U") || text.contains("abc123"), text);
    }

    @Test
    void anAwsErrorIsLoggedByItsCodeNeverItsMessage() {
        Priming priming = new Priming(log, List.of(new Priming.Step("dynamodb", () -> {
            throw DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("AccessDeniedException")
                    .errorMessage("User: arn:aws:sts::123456789012:assumed-role/fn is not authorized").build()).build();
        })));
        String text;
        JsonNode warning;
        try (LogCapture logs = new LogCapture()) {
            assertEquals(List.of("dynamodb"), priming.run().failed());
            text = logs.text();
            warning = logs.events().get(0);
        }
        assertEquals("AccessDeniedException", warning.path("error_code").asText(), text);
        assertFalse(text.contains("arn:aws:sts") || text.contains("123456789012"), text);
    }

    @Test
    void registeringTwiceRegistersOnce() {
        List<Resource> registered = new ArrayList<>();
        Context<Resource> context = new Context<>() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> ignored) {
            }

            @Override
            public void afterRestore(Context<? extends Resource> ignored) {
            }

            @Override
            public void register(Resource resource) {
                registered.add(resource);
            }
        };
        Priming priming = new Priming(log, List.of(step("a")));
        priming.register(context);
        priming.register(context);
        assertEquals(List.of(priming), registered);
        Priming.none().register(context);
        assertEquals(List.of(priming), registered, "nothing to run, nothing registered");
        assertEquals(List.of(), ran, "registering runs nothing");
    }

    @Test
    void registeringOnAJvmWithoutCracIsHarmless() {
        Priming priming = new Priming(log, List.of(step("a")));
        priming.register().register();
        assertEquals(List.of(), ran, "this JVM never calls the hook");
    }

    @Test
    void theHandlerStepsCheckTheAnswerTheyExpect() {
        APIGatewayV2HTTPResponse unauthorized = APIGatewayV2HTTPResponse.builder().withStatusCode(401).build();
        SQSBatchResponse acknowledged = new SQSBatchResponse(List.of());
        Priming priming = new Priming(log, List.of(
                Priming.http(() -> unauthorized, 401),
                Priming.http(() -> unauthorized, 400),
                Priming.sqsBatch(() -> acknowledged, 0),
                Priming.sqsBatch(() -> acknowledged, 1)));
        String text;
        Priming.Report report;
        try (LogCapture logs = new LogCapture()) {
            report = priming.run();
            text = logs.text();
        }
        assertEquals(2, report.succeeded().size());
        assertEquals(2, report.failed().size());
        assertTrue(text.contains("the handler answered 401, not 400"), text);
        assertTrue(text.contains("the handler reported 0 failures, not 1"), text);
    }

    @Test
    void theJsonStepFailsOnADocumentThatIsNotJson() {
        assertEquals(List.of("json"), new Priming(log, List.of(Priming.json("{\"a\":[1,2,{\"b\":null}]}"))).run().succeeded());
        assertEquals(List.of("json"), new Priming(log, List.of(Priming.json("{not json"))).run().failed());
    }

    @Test
    void thePrimingIdentitiesAreWellFormedButNobodys() {
        assertTrue(FiscalCode.isValid(Priming.NOBODY));
        assertEquals("00", Priming.NOBODY.substring(9, 11), "day 00: no one's birth date");
        assertTrue(Ulid.isValid(Priming.ABSENT_MESSAGE_ID));
        assertFalse(Ulid.isValid(Priming.ABSENT) || FiscalCode.isValid(Priming.ABSENT));
        var event = Priming.citizenRequest("fiscal_code", "GET /api/v1/profile", "/api/v1/profile", Map.of(), Map.of(), null);
        assertEquals(Priming.NOBODY, event.getRequestContext().getAuthorizer().getJwt().getClaims().get("fiscal_code"));
        assertEquals("GET", Http.method(event));
    }
}
