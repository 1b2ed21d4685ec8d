package dev.ioserverless.local;

import static dev.ioserverless.local.AuthorizationIT.assertProblem;
import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static dev.ioserverless.local.TestData.newMessage;
import static dev.ioserverless.local.TestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** POST /messages with the fiscal code in the body, the batch endpoint, and the profile endpoints. */
class BatchAndProfilesIT {

    static String item(String fiscalCode) {
        return "{\"fiscal_code\":\"" + fiscalCode + "\",\"content\":{\"subject\":\"" + SUBJECT
                + "\",\"markdown\":\"" + MARKDOWN + "\"}}";
    }

    @Test
    void theFiscalCodeMayBeInTheBodyButNotInBothPlacesOrNeither() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        String citizen = TestData.citizen();
        HttpResponse<String> created = post(service.primaryKey(), "/api/v1/messages", item(citizen));
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.read(created.body()).path("id").asText();
        assertEquals("/api/v1/messages/" + citizen + "/" + id, created.headers().firstValue("Location").orElseThrow());

        assertProblem(post(service.primaryKey(), "/api/v1/messages", newMessage()), 400, "fiscal_code");
        assertProblem(post(service.primaryKey(), "/api/v1/messages/" + citizen, item(citizen)), 400, "fiscal_code");
        assertEquals(1, TestData.messagesFor(citizen));
    }

    @Test
    void aBatchJudgesEachItemOnItsOwn() {
        String recipient = TestData.citizen();
        String outsider = TestData.citizen();
        TestService limited = TestData.service(EnumSet.of(ServiceGroup.ApiLimitedMessageWrite, ServiceGroup.ApiMessageRead),
                Set.of(recipient), List.of(), 0, 150);
        String body = "{\"messages\":[" + String.join(",",
                item(recipient),
                "{\"fiscal_code\":\"" + recipient + "\",\"content\":{\"subject\":\"short\",\"markdown\":\"" + MARKDOWN + "\"}}",
                item(outsider),
                item("NOTAFISCALCODE"),
                item(recipient)) + "]}";
        HttpResponse<String> response = post(limited.primaryKey(), "/api/v1/messages/batch", body);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode results = Json.read(response.body()).path("results");
        assertEquals(5, results.size());
        List<Integer> statuses = IntStream.range(0, 5).mapToObj(i -> results.get(i).path("status").asInt()).toList();
        assertEquals(List.of(201, 400, 403, 400, 201), statuses);
        for (int i = 0; i < 5; i++) {
            JsonNode result = results.get(i);
            assertEquals(i, result.path("index").asInt());
            if (result.path("status").asInt() == 201) {
                assertTrue(Ulid.isValid(result.path("id").asText()));
                assertFalse(result.has("problem"));
            } else {
                assertFalse(result.has("id"));
                assertEquals(result.path("status").asInt(), result.path("problem").path("status").asInt());
            }
        }
        assertTrue(results.get(1).path("problem").path("detail").asText().contains("content.subject"));
        assertEquals(2, TestData.messagesFor(recipient));
        assertEquals(0, TestData.messagesFor(outsider));

        String id = results.get(0).path("id").asText();
        TestPlatform.await(() -> Json.read(TestData.get(limited.primaryKey(), "/api/v1/messages/" + recipient + "/" + id)
                .body()).path("status").asText().equals("PROCESSED"), Duration.ofSeconds(10), "batch item processed");
    }

    @Test
    void aBatchOfMoreThan100IsRefusedWhole() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite), Set.of(), List.of(), 0, 1000);
        String citizen = TestData.citizen();
        String items = IntStream.range(0, 101).mapToObj(i -> item(citizen)).collect(Collectors.joining(","));
        HttpResponse<String> response = post(service.primaryKey(), "/api/v1/messages/batch", "{\"messages\":[" + items + "]}");
        assertTrue(response.statusCode() == 400 || response.statusCode() == 413, response.statusCode() + " " + response.body());
        assertTrue(Json.read(response.body()).path("detail").asText().contains("messages"));
        assertEquals(0, TestData.messagesFor(citizen));

        String hundred = IntStream.range(0, 100).mapToObj(i -> item(citizen)).collect(Collectors.joining(","));
        HttpResponse<String> full = post(service.primaryKey(), "/api/v1/messages/batch", "{\"messages\":[" + hundred + "]}");
        assertEquals(200, full.statusCode(), full.body());
        assertEquals(100, TestData.messagesFor(citizen));
    }

    @Test
    void profilesAnswerSenderAllowedAndPreferredLanguages() {
        TestService service = TestData.service(EnumSet.of(ServiceGroup.ApiLimitedProfileRead));
        String allowing = TestData.citizen();
        JsonNode profile = Json.read(expect(200, TestData.get(service.primaryKey(), "/api/v1/profiles/" + allowing)).body());
        assertEquals(Set.of("sender_allowed", "preferred_languages"), MessageFlowIT.fieldNames(profile));
        assertTrue(profile.path("sender_allowed").asBoolean());
        assertEquals("it_IT", profile.path("preferred_languages").get(0).asText());

        JsonNode byBody = Json.read(expect(200, post(service.primaryKey(), "/api/v1/profiles",
                "{\"fiscal_code\":\"" + allowing + "\"}")).body());
        assertEquals(profile, byBody);

        String blocking = FiscalCodes.random();
        TestData.profile(blocking, true, ServicePreferencesMode.LEGACY, Map.of(service.id(), Set.of(BlockedInboxOrChannel.INBOX)));
        assertFalse(Json.read(TestData.get(service.primaryKey(), "/api/v1/profiles/" + blocking).body())
                .path("sender_allowed").asBoolean(true));

        String manual = FiscalCodes.random();
        TestData.profile(manual, true, ServicePreferencesMode.MANUAL, Map.of());
        assertFalse(Json.read(TestData.get(service.primaryKey(), "/api/v1/profiles/" + manual).body())
                .path("sender_allowed").asBoolean(true), "MANUAL mode without a preference does not allow");
        TestData.preference(manual, service.id(), true);
        assertTrue(Json.read(TestData.get(service.primaryKey(), "/api/v1/profiles/" + manual).body())
                .path("sender_allowed").asBoolean(false));
    }

    @Test
    void aMissingProfileOrDisabledInboxIs404AndTheGroupIsRequired() {
        TestService reader = TestData.service(EnumSet.of(ServiceGroup.ApiLimitedProfileRead));
        assertProblem(TestData.get(reader.primaryKey(), "/api/v1/profiles/" + FiscalCodes.random()), 404, "fiscal_code");
        String inboxOff = FiscalCodes.random();
        TestData.profile(inboxOff, false, ServicePreferencesMode.AUTO, Map.of());
        assertProblem(TestData.get(reader.primaryKey(), "/api/v1/profiles/" + inboxOff), 404, "fiscal_code");

        TestService writer = TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite));
        assertProblem(TestData.get(writer.primaryKey(), "/api/v1/profiles/" + TestData.citizen()), 403, "ApiLimitedProfileRead");
        assertProblem(TestData.get(reader.primaryKey(), "/api/v1/profiles/not-a-code"), 400, "fiscal_code");
        assertProblem(post(reader.primaryKey(), "/api/v1/profiles", "{}"), 400, "fiscal_code");
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        return response;
    }
}
