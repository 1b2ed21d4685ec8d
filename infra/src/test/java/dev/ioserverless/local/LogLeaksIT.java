package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Test;

/**
 * No secret and no personal data in the logs of a whole integration run. It runs after every other
 * integration test of its JVM ({@link RunsLast}, set in the failsafe configuration), and checks
 * every line the run wrote ({@link Secrets#captured}: the functions' and the platform's log lines
 * and the rest of stdout and stderr) against every API key, JWT, callback secret, subject,
 * markdown and fiscal code the tests handed the platform, and against the shapes of a JWT, a
 * fiscal code and a demo key. Run alone, it still sees a full flow: it drives one itself first.
 */
class LogLeaksIT {

    @Test
    void theWholeRunLogsNoKeyTokenSecretContentOrFiscalCode() {
        JsonNode demo = TestPlatform.demoJson();
        // A flow of its own, so the capture holds every kind of line even when this test runs alone:
        // a message with content of its own, processed and pushed, then read by the citizen.
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Avviso TARI " + marker;
        String markdown = "Gentile cittadino, " + marker + " è disponibile l'avviso di pagamento della TARI. "
                + "Puoi pagarlo entro la scadenza indicata nel documento allegato.";
        String citizen = demo.path("citizen_fiscal_code").asText();
        var sent = TestData.post(demo.path("api_key").asText(), "/api/v1/messages/" + citizen,
                Json.write(Json.object().set("content", Json.object().put("subject", subject).put("markdown", markdown))));
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Json.read(sent.body()).path("id").asText();
        String device = demo.path("citizen_device_token").asText();
        TestPlatform.await(() -> PushNotificationIT.pushesOf(device, id).size() == 1, Duration.ofSeconds(20), "push delivered");
        var read = TestPlatform.send(HttpRequest.newBuilder(URI.create(TestPlatform.get().citizenApiBaseUrl() + "/messages/" + id))
                .header("Authorization", "Bearer " + CitizenApiIT.token(citizen)).GET());
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains(marker), "the citizen read the message");

        List<String> lines = Secrets.captured();
        // The check saw the run: the acceptance and the push of this very message at least.
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"message_accepted\"") && l.contains(id)),
                "the capture holds this test's message_accepted line; captured " + lines.size() + " lines");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"push_notification\"") && l.contains(id)),
                "the capture holds this test's push_notification line");
        assertTrue(Secrets.recorded("API key").size() >= 2 && Secrets.recorded("JWT").size() >= 1
                        && Secrets.recorded("message subject").contains(subject)
                        && Secrets.recorded("message markdown").contains(markdown)
                        && Secrets.recorded("payment-callback secret").size() >= 1,
                "the secrets of the run were recorded");

        List<Secrets.Leak> leaks = Secrets.leaks(lines);
        assertTrue(leaks.isEmpty(), leaks.size() + " of " + lines.size() + " captured lines leak:\n"
                + String.join("\n", leaks.stream().limit(30).map(Secrets.Leak::toString).toList()));
    }

    /** The integration tests' class order: as discovered, with this test last. */
    public static final class RunsLast implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparingInt(d -> d.getTestClass() == LogLeaksIT.class ? 1 : 0));
        }
    }
}
