package dev.ioserverless.documents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.Citizen;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.messages.HasPrecondition;
import dev.ioserverless.messages.HostedDocument;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.messages.MessageStore;
import dev.ioserverless.messages.ThirdPartyData;
import dev.ioserverless.services.ApiResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The citizen API's third-party messages (IO's app backend):
 *
 * <ul>
 *   <li>{@code GET /api/v1/third-party-messages/{id}} ({@code getThirdPartyMessage}): the message
 *       with {@code third_party_message}, its attachments and details, fetched from the body's
 *       server ({@code GET {base_url}/messages/{third_party_id}}) or, for documents the platform
 *       hosts, from their records. Opening a message after its ONCE precondition was shown is
 *       the acceptance, and its time is recorded for the sender to see;
 *   <li>{@code GET .../{id}/attachments/{attachment_url}} ({@code getThirdPartyMessageAttachment}):
 *       the attachment's bytes with their type (a PDF, PNG or JPEG by its first bytes). A hosted
 *       document larger than {@link #STREAMED_MAX} is a 302 to a presigned GET valid for a minute;
 *   <li>{@code GET .../{id}/precondition} ({@code getThirdPartyMessagePrecondition}): the
 *       precondition's title and markdown under ALWAYS, and under ONCE until accepted; 204 otherwise.
 * </ul>
 *
 * Only the message's own citizen reaches it; another's, an unprocessed one and one without
 * third-party data are the same 404. The body's server is hostile ground ({@link RemoteContentClient}):
 * its failures answer IO's statuses as problems, 502 (it misbehaved, or its address is refused),
 * 504 (too slow), 404 (it has no such message or attachment), 415 (an attachment not what it
 * claims), and 410 when the message's configuration is retired. Nothing it sends, no key and no
 * fiscal code reaches a log.
 */
public final class ThirdPartyMessagesHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** The largest hosted document answered in the response itself: Lambda answers at most 6 MB, base64 adds a third. */
    public static final long STREAMED_MAX = 4L * 1024 * 1024;
    static final Duration DOWNLOAD_VALIDITY = Duration.ofMinutes(1);
    private final CitizenApi api;
    private final MessageStore messages;
    private final ConfigurationStore configurations;
    private final KeyVault vault;
    private final RemoteContentClient client;
    private final DocumentBucket bucket;
    private final Preconditions preconditions;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public ThirdPartyMessagesHandler() {
        this(Config.fromEnvironment());
    }

    public ThirdPartyMessagesHandler(Config config) {
        this(config, new Log("ThirdPartyMessages", config));
    }

    private ThirdPartyMessagesHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), DynamoMessageStore.fromConfig(config), Documents.configurations(config),
                Documents.keyVault(config), Documents.remoteContent(config), Documents.bucket(config),
                new DynamoPreconditions(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE")),
                config.clock(), log);
        String id = Priming.ABSENT_MESSAGE_ID;
        priming = new Priming(log, List.of(
                Priming.json("{\"attachments\":[{\"id\":\"1\",\"url\":\"1\"}],\"details\":{\"subject\":\"Priming\"}}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("MESSAGE_STATUS_TABLE"), "id"),
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(),
                        "GET /api/v1/third-party-messages/{id}", "/api/v1/third-party-messages/" + id,
                        Map.of("id", id), Map.of(), null), null), 404)))
                .register();
    }

    public ThirdPartyMessagesHandler(CitizenApi api, MessageStore messages, ConfigurationStore configurations,
                                     KeyVault vault, RemoteContentClient client, DocumentBucket bucket,
                                     Preconditions preconditions, Clock clock, Log log) {
        this.api = api;
        this.messages = messages;
        this.configurations = configurations;
        this.vault = vault;
        this.client = client;
        this.bucket = bucket;
        this.preconditions = preconditions;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        String raw = event.getRawPath() == null ? "" : event.getRawPath();
        if (path.containsKey("attachment_url")) {
            return api.handle(event, "GetThirdPartyMessageAttachment",
                    (citizen, request) -> attachment(citizen, path.get("id"), path.get("attachment_url")));
        }
        if (raw.endsWith("/precondition")) {
            return api.handle(event, "GetThirdPartyMessagePrecondition",
                    (citizen, request) -> precondition(citizen, path.get("id")));
        }
        return api.handle(event, "GetThirdPartyMessage", (citizen, request) -> message(citizen, path.get("id")));
    }

    private ApiResponse message(Citizen citizen, String id) {
        Message message = own(citizen, id);
        ThirdPartyData data = message.content().thirdPartyData();
        if (data.hosted()) {
            return ApiResponse.json(200, ThirdPartyViews.hosted(message));
        }
        RemoteEndpoint endpoint = endpoint(message, citizen);
        ThirdPartyDetails details = remote(message, endpoint, "details",
                () -> client.details(endpoint, data.id(), citizen.fiscalCode()));
        // The citizen now has the content in hand: opening it after the precondition is the acceptance.
        if (data.precondition() == HasPrecondition.ONCE && message.preconditionAcceptedAt() == null
                && preconditions.acceptIfShown(message.id(), clock.instant())) {
            log.info("precondition_accepted", "message_id", message.id(),
                    "fiscal_code_ref", log.fiscalCodeRef(citizen.fiscalCode()));
        }
        return ApiResponse.json(200, ThirdPartyViews.remote(message, details));
    }

    private ApiResponse attachment(Citizen citizen, String id, String attachmentUrl) {
        Message message = own(citizen, id);
        ThirdPartyData data = message.content().thirdPartyData();
        if (attachmentUrl == null || attachmentUrl.isEmpty()) {
            throw new ProblemException(Problem.badRequest("attachment_url: required"));
        }
        if (data.hosted()) {
            HostedDocument document = message.content().documents().stream()
                    .filter(d -> d.id().equals(attachmentUrl)).findFirst()
                    .orElseThrow(() -> new ProblemException(Problem.notFound("attachment_url: no such attachment")));
            String disposition = "attachment; filename=\"" + document.name().replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "_") + "\"";
            if (document.size() > STREAMED_MAX) {
                URI url = bucket.downloadUrl(document.id(), document.contentType(), document.name(), DOWNLOAD_VALIDITY);
                return new ApiResponse(302, Map.of("Location", url.toString(), "Cache-Control", "no-store"), null);
            }
            return ApiResponse.binary(200, document.contentType(), bucket.read(document.id()),
                    Map.of("Content-Disposition", disposition, "Cache-Control", "no-store"));
        }
        RemoteEndpoint endpoint = endpoint(message, citizen);
        AttachmentContent content = remote(message, endpoint, "attachment",
                () -> client.attachment(endpoint, data.id(), attachmentUrl, citizen.fiscalCode()));
        return ApiResponse.binary(200, content.contentType(), content.bytes(), Map.of("Cache-Control", "no-store"));
    }

    private ApiResponse precondition(Citizen citizen, String id) {
        Message message = own(citizen, id);
        ThirdPartyData data = message.content().thirdPartyData();
        HasPrecondition precondition = data.precondition();
        boolean due = precondition == HasPrecondition.ALWAYS
                || (precondition == HasPrecondition.ONCE && message.preconditionAcceptedAt() == null);
        if (!due || data.hosted()) {
            return new ApiResponse(204, Map.of(), null);
        }
        RemoteEndpoint endpoint = endpoint(message, citizen);
        ThirdPartyPrecondition text = remote(message, endpoint, "precondition",
                () -> client.precondition(endpoint, data.id(), citizen.fiscalCode()));
        if (precondition == HasPrecondition.ONCE) {
            preconditions.shown(message.id(), clock.instant());
        }
        return ApiResponse.json(200, ThirdPartyViews.precondition(text));
    }

    /** The citizen's own processed third-party message; the same 404 for anything else. */
    private Message own(Citizen citizen, String id) {
        if (id == null || !Ulid.isValid(id)) {
            throw new ProblemException(Problem.badRequest("id: must be a message id (a ULID)"));
        }
        return messages.find(id)
                .filter(m -> m.fiscalCode().equals(citizen.fiscalCode()) && m.status() == MessageStatus.PROCESSED
                        && m.content().thirdPartyData() != null)
                .orElseThrow(() -> new ProblemException(Problem.notFound("id: no such third-party message")));
    }

    /** Where the message's body answers for this citizen, with its key opened; 410 once the configuration is retired. */
    private RemoteEndpoint endpoint(Message message, Citizen citizen) {
        String configurationId = message.content().thirdPartyData().configurationId();
        RemoteContentConfiguration configuration = configurations.find(configurationId)
                .filter(c -> !c.retired() && c.serviceId().equals(message.senderServiceId()))
                .orElseThrow(ThirdPartyMessagesHandler::gone);
        RemoteContentConfiguration.Environment environment = configuration.environmentFor(citizen.fiscalCode());
        if (environment == null) {
            throw gone();
        }
        String key = vault.open(environment.sealedKey(),
                KeyVault.context(configuration.id(), configuration.environmentName(environment)));
        try {
            return new RemoteEndpoint(URI.create(environment.baseUrl()), environment.headerName(), key);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(502, "Bad gateway", "remote content: the configuration's server is not usable"));
        }
    }

    private static ProblemException gone() {
        return new ProblemException(Problem.of(410, "Gone", "third party service: no longer available"));
    }

    private <T> T remote(Message message, RemoteEndpoint endpoint, String what, java.util.function.Supplier<T> call) {
        long started = System.nanoTime();
        try {
            T result = call.get();
            log.info("remote_content_fetched", "message_id", message.id(), "what", what,
                    "host", endpoint.baseUrl().getHost(), "elapsed_ms", (System.nanoTime() - started) / 1_000_000);
            return result;
        } catch (RemoteContentException e) {
            log.warn("remote_content_failed", "message_id", message.id(), "what", what, "host", endpoint.baseUrl().getHost(),
                    "kind", e.kind().name(), "detail", e.getMessage(),
                    "elapsed_ms", (System.nanoTime() - started) / 1_000_000);
            int status = e.kind().status();
            String title = switch (status) {
                case 400 -> "Bad request";
                case 404 -> "Not found";
                case 410 -> "Gone";
                case 415 -> "Unsupported media type";
                case 504 -> "Gateway timeout";
                default -> "Bad gateway";
            };
            throw new ProblemException(Problem.of(status, title, what + ": " + e.getMessage()));
        }
    }
}
