package dev.ioserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.local.sns.SnsEmulator.PushDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * What an external SNS endpoint "delivered" to a device, for {@code /_local/push-deliveries} when
 * the platform runs on one ({@link LocalPlatform.Options#withExternalAws}). Neither emulator pushes
 * to a phone; each keeps what was published to a platform endpoint, behind an API of its own:
 * moto_server's {@code /moto-api/data.json} (its models, the endpoints' {@code messages} among
 * them) and LocalStack's {@code /_aws/sns/platform-endpoint-messages}. Both keep the message as
 * published, so the payload is picked out for the endpoint's platform here, as SNS does when it
 * pushes. Neither records when, so {@code delivered_at} is when this read it.
 */
final class ExternalPushDeliveries {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final SnsClient sns;

    ExternalPushDeliveries(URI endpoint, SnsClient sns) {
        this.endpoint = endpoint;
        this.sns = sns;
    }

    List<PushDelivery> pushDeliveries(String token) {
        Instant now = Instant.now();
        List<PushDelivery> found = new ArrayList<>();
        JsonNode moto = get("/moto-api/data.json");
        if (moto != null && moto.path("sns").isObject()) {
            for (JsonNode endpointModel : moto.path("sns").path("PlatformEndpoint")) {
                if (!token.equals(endpointModel.path("token").asText())) {
                    continue;
                }
                String arn = endpointModel.path("arn").asText();
                Iterator<Map.Entry<String, JsonNode>> messages = endpointModel.path("messages").fields();
                while (messages.hasNext()) {
                    Map.Entry<String, JsonNode> message = messages.next();
                    found.add(delivery(message.getKey(), arn, token, message.getValue().asText(), now));
                }
            }
            return found;
        }
        JsonNode localstack = get("/_aws/sns/platform-endpoint-messages");
        if (localstack == null) {
            throw new IllegalStateException(endpoint + " keeps no record of platform-endpoint messages that the platform can read");
        }
        Iterator<Map.Entry<String, JsonNode>> endpoints = localstack.path("platform_endpoint_messages").fields();
        while (endpoints.hasNext()) {
            Map.Entry<String, JsonNode> entry = endpoints.next();
            String endpointToken = sns.getEndpointAttributes(b -> b.endpointArn(entry.getKey())).attributes().get("Token");
            if (token.equals(endpointToken)) {
                for (JsonNode message : entry.getValue()) {
                    found.add(delivery(message.path("MessageId").asText(), entry.getKey(), token,
                            message.path("Message").asText(), now));
                }
            }
        }
        return found;
    }

    /** The payload SNS pushes for the endpoint's platform: its key of a JSON message structure, else the default. */
    private static PushDelivery delivery(String messageId, String endpointArn, String token, String message, Instant now) {
        String platform = endpointArn.replaceFirst("^.*:endpoint/([^/]+)/.*$", "$1");
        String payload = message;
        try {
            JsonNode structure = Json.MAPPER.readTree(message);
            if (structure != null && structure.isObject()) {
                if (structure.path(platform).isTextual()) {
                    payload = structure.path(platform).asText();
                } else if (structure.path("default").isTextual()) {
                    payload = structure.path("default").asText();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a plain-text message is pushed as it is
        }
        return new PushDelivery(messageId, endpointArn, platform, token, payload, now);
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
