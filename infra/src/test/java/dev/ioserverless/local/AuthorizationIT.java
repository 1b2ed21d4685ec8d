package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.newMessage;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The authorization matrix of the Services API: key x group x recipient x source address. */
class AuthorizationIT {
    private static final String PAYMENT_WITH_PAYEE = "{\"content\":{\"subject\":\"" + TestData.SUBJECT
            + "\",\"markdown\":\"" + TestData.MARKDOWN + "\",\"payment_data\":{\"amount\":12050,"
            + "\"notice_number\":\"302000100000019421\",\"payee\":{\"fiscal_code\":\"01234567890\"}}}}";
    private static final String ADVANCED = "{\"feature_level_type\":\"ADVANCED\",\"content\":{\"subject\":\""
            + TestData.SUBJECT + "\",\"markdown\":\"" + TestData.MARKDOWN + "\"}}";

    @Test
    void aMissingOrUnknownKeyIs401() {
        String citizen = TestData.citizen();
        assertProblem(post(null, "/api/v1/messages/" + citizen, newMessage()), 401, "Ocp-Apim-Subscription-Key");
        assertProblem(post("0123456789abcdef0123456789abcdef", "/api/v1/messages/" + citizen, newMessage()), 401,
                "Ocp-Apim-Subscription-Key");
        assertEquals(0, TestData.messagesFor(citizen));
    }

    @Test
    void bothThePrimaryAndTheSecondaryKeyWork() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        assertEquals(201, post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).statusCode());
        assertEquals(201, post(service.secondaryKey(), "/api/v1/messages/" + citizen, newMessage()).statusCode());
        assertEquals(2, TestData.messagesFor(citizen));
    }

    @Test
    void sendingNeedsAWriteGroup() {
        TestService readOnly = TestData.service(EnumSet.of(ServiceGroup.ApiMessageRead));
        String citizen = TestData.citizen();
        assertProblem(post(readOnly.primaryKey(), "/api/v1/messages/" + citizen, newMessage()), 403, "ApiMessageWrite");
        assertEquals(0, TestData.messagesFor(citizen));
    }

    @Test
    void readingNeedsApiMessageRead() {
        TestService writeOnly = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        String id = Json.read(post(writeOnly.primaryKey(), "/api/v1/messages/" + citizen, newMessage()).body())
                .path("id").asText();
        assertProblem(TestData.get(writeOnly.primaryKey(), "/api/v1/messages/" + citizen + "/" + id), 403,
                "ApiMessageRead");
    }

    @Test
    void aLimitedServiceWritesOnlyToItsAuthorizedRecipients() {
        String allowed = TestData.citizen();
        String other = TestData.citizen();
        TestService limited = TestData.service(EnumSet.of(ServiceGroup.ApiLimitedMessageWrite), Set.of(allowed),
                List.of(), 0, 150);
        assertEquals(201, post(limited.primaryKey(), "/api/v1/messages/" + allowed, newMessage()).statusCode());
        assertProblem(post(limited.primaryKey(), "/api/v1/messages/" + other, newMessage()), 403, "fiscal_code");
        assertEquals(0, TestData.messagesFor(other));
    }

    @Test
    void theDemoSandboxKeyReachesOnlyTheDemoCitizen() {
        JsonNode demo = TestPlatform.demoJson();
        String sandboxKey = demo.path("limited_api_key").asText();
        assertEquals(201, post(sandboxKey, "/api/v1/messages/" + demo.path("citizen_fiscal_code").asText(), newMessage())
                .statusCode());
        assertEquals(403, post(sandboxKey, "/api/v1/messages/" + TestData.citizen(), newMessage()).statusCode());
    }

    @Test
    void aPayeeNeedsApiMessageWriteWithPayee() {
        String citizen = TestData.citizen();
        TestService without = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 1_000_000, 150);
        assertProblem(post(without.primaryKey(), "/api/v1/messages/" + citizen, PAYMENT_WITH_PAYEE), 403, "payee");
        TestService with = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteWithPayee),
                Set.of(), List.of(), 1_000_000, 150);
        assertEquals(201, post(with.primaryKey(), "/api/v1/messages/" + citizen, PAYMENT_WITH_PAYEE).statusCode());
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void anAdvancedMessageNeedsApiMessageWriteAdvanced() {
        String citizen = TestData.citizen();
        TestService without = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        assertProblem(post(without.primaryKey(), "/api/v1/messages/" + citizen, ADVANCED), 403, "feature_level_type");
        TestService with = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteAdvanced));
        assertEquals(201, post(with.primaryKey(), "/api/v1/messages/" + citizen, ADVANCED).statusCode());
    }

    @Test
    void aPaymentAboveTheServiceMaximumIs400() {
        String citizen = TestData.citizen();
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageWriteWithPayee),
                Set.of(), List.of(), 10_000, 150);
        assertProblem(post(service.primaryKey(), "/api/v1/messages/" + citizen, PAYMENT_WITH_PAYEE), 400, "amount");
        assertEquals(0, TestData.messagesFor(citizen));
    }

    /** The platform's clients call from 127.0.0.1. */
    @ParameterizedTest(name = "authorized_cidrs {0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "'';201",
        "127.0.0.0/8;201",
        "127.0.0.1/32;201",
        "10.0.0.0/8;403",
        "10.0.0.0/8,127.0.0.1/32;201",
        "::1/128;403",
        "0.0.0.0/0;201",
    })
    void theSourceAddressMustBeInAnAuthorizedCidr(String cidrs, int expected) {
        List<String> list = cidrs.isEmpty() ? List.of() : List.of(cidrs.split(","));
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead),
                Set.of(), list, 0, 150);
        String citizen = TestData.citizen();
        HttpResponse<String> response = post(service.primaryKey(), "/api/v1/messages/" + citizen, newMessage());
        assertEquals(expected, response.statusCode(), response.body());
        if (expected == 403) {
            assertEquals(0, TestData.messagesFor(citizen));
        }
    }

    static void assertProblem(HttpResponse<String> response, int status, String detailMentions) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = Json.read(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains(detailMentions),
                "detail should name " + detailMentions + ": " + problem.path("detail").asText());
    }
}
