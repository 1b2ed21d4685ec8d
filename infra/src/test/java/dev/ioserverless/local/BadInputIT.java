package dev.ioserverless.local;

import static dev.ioserverless.local.AuthorizationIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Bad input over HTTP: a clear 4xx problem naming what is wrong, never a 5xx, and nothing written.
 * The property feeds arbitrary bytes to every POST route of the Services API.
 */
class BadInputIT {
    private static TestService service;
    private static String citizen;

    /** Seeded on first use: the class runs under both the Jupiter and the jqwik engine. */
    private static synchronized TestService service() {
        if (service == null) {
            service = TestData.service(EnumSet.allOf(ServiceGroup.class), Set.of(), List.of(), 1_000_000, 100_000);
            citizen = TestData.citizen();
        }
        return service;
    }

    private static String citizen() {
        service();
        return citizen;
    }

    static HttpResponse<String> raw(String path, String contentType, byte[] body) {
        return TestPlatform.send(HttpRequest.newBuilder(TestPlatform.url(path))
                .header("Ocp-Apim-Subscription-Key", service().primaryKey())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void aBodyOver256KbIs413() {
        String big = "{\"content\":{\"subject\":\"" + TestData.SUBJECT + "\",\"markdown\":\"" + "x".repeat(300 * 1024) + "\"}}";
        assertProblem(raw("/api/v1/messages/" + citizen(), "application/json", big.getBytes()), 413, "body");
        assertEquals(0, TestData.messagesFor(citizen()));
    }

    @Test
    void aWrongContentTypeIs415() {
        assertProblem(raw("/api/v1/messages/" + citizen(), "text/plain", TestData.newMessage().getBytes()), 415, "Content-Type");
        assertEquals(0, TestData.messagesFor(citizen()));
    }

    @Test
    void malformedJsonOrANonObjectIs400() {
        assertProblem(raw("/api/v1/messages/" + citizen(), "application/json", "{\"content\":".getBytes()), 400, "body");
        assertProblem(raw("/api/v1/messages/" + citizen(), "application/json", "[1,2]".getBytes()), 400, "body");
        assertProblem(raw("/api/v1/messages/" + citizen(), "application/json", "\"text\"".getBytes()), 400, "body");
        assertEquals(0, TestData.messagesFor(citizen()));
    }

    @Test
    void aKnownFieldWithAWrongTypeIs400NamingIt() {
        String body = "{\"time_to_live\":\"3600\",\"content\":{\"subject\":\"" + TestData.SUBJECT + "\",\"markdown\":\""
                + TestData.MARKDOWN + "\"}}";
        assertProblem(raw("/api/v1/messages/" + citizen(), "application/json", body.getBytes()), 400, "time_to_live");
        assertEquals(0, TestData.messagesFor(citizen()));
    }

    @Provide
    Arbitrary<String> postRoutes() {
        return Arbitraries.of("/api/v1/messages/{citizen}", "/api/v1/messages", "/api/v1/messages/batch", "/api/v1/profiles");
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        Arbitrary<byte[]> jsonish = Arbitraries.strings()
                .withChars("{}[]\":,0123456789.-eEtrufalsn \\abcdefghijklmnopqrstuvwxyz_")
                .ofMaxLength(200).map(String::getBytes);
        Arbitrary<byte[]> fieldsWithJunk = Arbitraries.of("content", "subject", "markdown", "time_to_live", "fiscal_code",
                        "payment_data", "amount", "notice_number", "messages", "feature_level_type", "due_date")
                .flatMap(field -> Arbitraries.of("null", "1", "-1", "1e400", "\"x\"", "[]", "{}", "true", "99999999999999999999")
                        .map(value -> ("{\"" + field + "\":" + value + "}").getBytes()));
        return Arbitraries.oneOf(bytes, jsonish, fieldsWithJunk);
    }

    @Property(tries = 150)
    void anyBodyGetsA4xxOr2xxNeverA5xx(@ForAll("postRoutes") String route, @ForAll("bodies") byte[] body) {
        String recipient = FiscalCodes.random();
        String path = route.replace("{citizen}", recipient);
        HttpResponse<String> response = raw(path, "application/json", body);
        int status = response.statusCode();
        assertTrue(status < 500, path + " answered " + status + ": " + response.body());
        if (status >= 400) {
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals(0, TestData.messagesFor(recipient), "nothing is written for a rejected request");
        }
    }
}
