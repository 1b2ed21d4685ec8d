package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IO's NewMessage rules at every boundary, through HTTP: the accepted side is 201, the refused
 * side a 400 whose detail names the field, and nothing is written for it.
 */
class NewMessageRulesIT {
    private static TestService service;

    private static synchronized TestService service() {
        if (service == null) {
            service = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 9_999_999_999L, 100_000);
        }
        return service;
    }

    static ObjectNode valid() {
        return (ObjectNode) Json.read(TestData.newMessage());
    }

    static ObjectNode content(ObjectNode message) {
        return (ObjectNode) message.get("content");
    }

    static ObjectNode payment(ObjectNode message) {
        ObjectNode payment = content(message).putObject("payment_data");
        payment.put("amount", 100);
        payment.put("notice_number", "302000100000019421");
        return payment;
    }

    static Arguments ok(String name, Consumer<ObjectNode> change) {
        return Arguments.of(name, change, 201, null);
    }

    static Arguments bad(String name, Consumer<ObjectNode> change, String field) {
        return Arguments.of(name, change, 400, field);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                bad("subject 9", m -> content(m).put("subject", "x".repeat(9)), "content.subject"),
                ok("subject 10", m -> content(m).put("subject", "x".repeat(10))),
                ok("subject 120", m -> content(m).put("subject", "x".repeat(120))),
                bad("subject 121", m -> content(m).put("subject", "x".repeat(121)), "content.subject"),
                bad("subject missing", m -> content(m).remove("subject"), "content.subject"),
                bad("subject a number", m -> content(m).put("subject", 1234567890), "content.subject"),
                bad("markdown 79", m -> content(m).put("markdown", "x".repeat(79)), "content.markdown"),
                ok("markdown 80", m -> content(m).put("markdown", "x".repeat(80))),
                ok("markdown 10000", m -> content(m).put("markdown", "x".repeat(10000))),
                bad("markdown 10001", m -> content(m).put("markdown", "x".repeat(10001)), "content.markdown"),
                bad("content missing", m -> m.remove("content"), "content"),
                bad("ttl 3599", m -> m.put("time_to_live", 3599), "time_to_live"),
                ok("ttl 3600", m -> m.put("time_to_live", 3600)),
                ok("ttl 604800", m -> m.put("time_to_live", 604800)),
                bad("ttl 604801", m -> m.put("time_to_live", 604801), "time_to_live"),
                bad("ttl a string", m -> m.put("time_to_live", "3600"), "time_to_live"),
                bad("ttl a fraction", m -> m.put("time_to_live", 3600.5), "time_to_live"),
                ok("due_date UTC", m -> content(m).put("due_date", "2026-12-31T23:59:59.000Z")),
                bad("due_date not a date", m -> content(m).put("due_date", "31/12/2026"), "content.due_date"),
                bad("amount 0", m -> payment(m).put("amount", 0), "amount"),
                ok("amount 1", m -> payment(m).put("amount", 1)),
                ok("amount 9999999999", m -> payment(m).put("amount", 9_999_999_999L)),
                bad("amount 10000000000", m -> payment(m).put("amount", 10_000_000_000L), "amount"),
                bad("amount a fraction", m -> payment(m).put("amount", 12.5), "amount"),
                bad("amount missing", m -> payment(m).remove("amount"), "amount"),
                ok("notice_number starting 0", m -> payment(m).put("notice_number", "012345678901234567")),
                bad("notice_number starting 4", m -> payment(m).put("notice_number", "412345678901234567"), "notice_number"),
                bad("notice_number 17 digits", m -> payment(m).put("notice_number", "30200010000001942"), "notice_number"),
                bad("notice_number missing", m -> payment(m).remove("notice_number"), "notice_number"),
                ok("invalid_after_due_date true", m -> payment(m).put("invalid_after_due_date", true)),
                bad("invalid_after_due_date a string", m -> payment(m).put("invalid_after_due_date", "yes"),
                        "invalid_after_due_date"),
                ok("payee 11 digits", m -> payment(m).putObject("payee").put("fiscal_code", "01234567890")),
                bad("payee 10 digits", m -> payment(m).putObject("payee").put("fiscal_code", "0123456789"), "payee.fiscal_code"),
                ok("require_secure_channels", m -> content(m).put("require_secure_channels", true)),
                bad("require_secure_channels a string", m -> content(m).put("require_secure_channels", "true"),
                        "content.require_secure_channels"),
                ok("feature_level_type ADVANCED", m -> m.put("feature_level_type", "ADVANCED")),
                bad("feature_level_type unknown", m -> m.put("feature_level_type", "PREMIUM"), "feature_level_type"),
                ok("unknown fields ignored", m -> m.put("whatever", List.of(1, 2).toString())));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rules")
    void aRuleAtItsBoundary(String name, Consumer<ObjectNode> change, int status, String field) {
        String citizen = TestData.citizen();
        ObjectNode message = valid();
        change.accept(message);
        HttpResponse<String> response = post(service().primaryKey(), "/api/v1/messages/" + citizen, Json.write(message));
        assertEquals(status, response.statusCode(), name + ": " + response.body());
        if (status == 400) {
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            String detail = Json.read(response.body()).path("detail").asText();
            assertTrue(detail.contains(field), name + ": detail should name " + field + ": " + detail);
            assertEquals(0, TestData.messagesFor(citizen), name + ": nothing is written");
        } else {
            assertEquals(1, TestData.messagesFor(citizen));
        }
    }

    @ParameterizedTest(name = "fiscal code {0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "RSSMRA80A01H501U,201", "rssmra80a01h501u,400", "RSSMRA80A01H501,400", "RSSMRA80Z01H501U,400",
        "RSSMRA8LA01H5MNU,201", "1SSMRA80A01H501U,400"})
    void theFiscalCodePattern(String fiscalCode, int status) {
        HttpResponse<String> response = post(service().primaryKey(), "/api/v1/messages/" + fiscalCode, TestData.newMessage());
        assertEquals(status, response.statusCode(), response.body());
        if (status == 400) {
            assertTrue(Json.read(response.body()).path("detail").asText().contains("fiscal_code"));
        }
    }
}
