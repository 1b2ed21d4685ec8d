package dev.ioserverless.documents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IO's remote-content configurations on the Services API, authenticated with the service's own
 * API key (IO asks for a separate manage key, which this platform does not issue):
 *
 * <ul>
 *   <li>{@code POST /api/v1/messages-sending/remote-contents/configurations} ({@code createRCConfiguration}):
 *       201 {@code RCConfigurationPublic}; honours an Idempotency-Key;
 *   <li>{@code GET} of the same path ({@code listRCConfiguration}): 200 {@code RCConfigurationListResponse},
 *       the caller's live configurations only;
 *   <li>{@code GET .../{configurationId}} ({@code getRCConfiguration}): 200 {@code RCConfigurationResponse};
 *   <li>{@code PUT .../{configurationId}} ({@code updateRCConfiguration}): 204, the whole configuration replaced;
 *   <li>{@code DELETE .../{configurationId}}, our extension: 204, the configuration retired. Its
 *       messages then answer the citizen 410, as IO does for a service no longer available, and
 *       no new message may name it.
 * </ul>
 *
 * Another service's configuration, a retired one and one that does not exist are the same 404.
 * Keys are sealed ({@link KeyVault}) before they are stored, and every response withholds them
 * ({@link ConfigurationViews}). The caller needs ApiMessageWrite: a limited service, which may write only to its authorized recipients, cannot.
 */
public final class RemoteContentConfigurationsHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    static final String COLLECTION = "/api/v1/messages-sending/remote-contents/configurations";
    /** A configuration of the shape IO's clients send, for priming. */
    static final String PRIMING_CONFIGURATION = "{\"name\":\"Priming\",\"description\":\"Priming the function\","
            + "\"has_precondition\":\"NEVER\",\"disable_lollipop_for\":[],\"is_lollipop_enabled\":false,"
            + "\"prod_environment\":{\"base_url\":\"https://example.org\",\"details_authentication\":"
            + "{\"header_key_name\":\"X-Key\",\"key\":\"priming\",\"type\":\"API-KEY\"}}}";
    private final ServicesApi api;
    private final ConfigurationStore configurations;
    private final KeyVault vault;
    private final boolean allowHttp;
    private final Clock clock;
    private final Log log;
    private Priming priming = Priming.none();

    public RemoteContentConfigurationsHandler() {
        this(Config.fromEnvironment());
    }

    public RemoteContentConfigurationsHandler(Config config) {
        this(config, new Log("RemoteContentConfigurations", config));
    }

    private RemoteContentConfigurationsHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, true), Documents.configurations(config), Documents.keyVault(config),
                Documents.allowLoopback(config), config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_CONFIGURATION),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                Priming.http(() -> handleRequest(Priming.request("GET " + COLLECTION, COLLECTION, Map.of(), Map.of(),
                        null), null), 401)))
                .register();
    }

    public RemoteContentConfigurationsHandler(ServicesApi api, ConfigurationStore configurations, KeyVault vault,
                                              boolean allowHttp, Clock clock, Log log) {
        this.api = api;
        this.configurations = configurations;
        this.vault = vault;
        this.allowHttp = allowHttp;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = dev.ioserverless.common.Http.method(event);
        boolean one = event.getPathParameters() != null && event.getPathParameters().containsKey("configurationId");
        ApiOperation operation = switch (method) {
            case "POST" -> new Create();
            case "PUT" -> new Update();
            case "DELETE" -> new Retire();
            default -> one ? new Read() : new ListAll();
        };
        return api.handle(event, operation, context);
    }

    private abstract static class Operation implements ApiOperation {
        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageWrite);
        }
    }

    private final class Create extends Operation {
        @Override
        public String name() {
            return "CreateRCConfiguration";
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            ConfigurationRequest body = ConfigurationRequest.parse(request.jsonBody(), allowHttp);
            Instant now = now();
            String id = request.reserveIds(List.of(Ulid.of(now.toEpochMilli()))).get(0);
            var existing = configurations.find(id);
            RemoteContentConfiguration configuration;
            if (existing.isPresent()) {
                // A retry under the same Idempotency-Key whose first run stored the configuration.
                configuration = existing.get();
            } else {
                configuration = body.toConfiguration(id, request.service().serviceId(), vault, now, now);
                configurations.create(configuration);
            }
            request.logField("configuration_id", id);
            log.info("rc_configuration_created", "configuration_id", id, "service_id", request.service().serviceId());
            return ApiResponse.json(201, ConfigurationViews.publicView(configuration),
                    Map.of("Location", COLLECTION + "/" + id));
        }
    }

    private final class ListAll extends Operation {
        @Override
        public String name() {
            return "ListRCConfiguration";
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            return ApiResponse.json(200, ConfigurationViews.list(configurations.ofService(request.service().serviceId())));
        }
    }

    private final class Read extends Operation {
        @Override
        public String name() {
            return "GetRCConfiguration";
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            return ApiResponse.json(200, ConfigurationViews.response(owned(request)));
        }
    }

    private final class Update extends Operation {
        @Override
        public String name() {
            return "UpdateRCConfiguration";
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            RemoteContentConfiguration current = owned(request);
            ConfigurationRequest body = ConfigurationRequest.parse(request.jsonBody(), allowHttp);
            RemoteContentConfiguration replacement = body.toConfiguration(current.id(), current.serviceId(), vault,
                    current.createdAt(), now());
            if (!configurations.replace(replacement)) {
                throw notFound();
            }
            log.info("rc_configuration_updated", "configuration_id", current.id(), "service_id", current.serviceId());
            return new ApiResponse(204, Map.of(), null);
        }
    }

    private final class Retire extends Operation {
        @Override
        public String name() {
            return "RetireRCConfiguration";
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            RemoteContentConfiguration current = owned(request);
            if (!configurations.retire(current.serviceId(), current.id(), now())) {
                throw notFound();
            }
            log.info("rc_configuration_retired", "configuration_id", current.id(), "service_id", current.serviceId());
            return new ApiResponse(204, Map.of(), null);
        }
    }

    /** The caller's live configuration named in the path; 400 for a malformed id, 404 otherwise. */
    private RemoteContentConfiguration owned(ApiRequest request) {
        String id = request.pathParameter("configurationId");
        if (id == null || !Ulid.isValid(id)) {
            throw new ProblemException(Problem.badRequest("configurationId: must be a ULID"));
        }
        return configurations.find(id)
                .filter(c -> c.serviceId().equals(request.service().serviceId()) && !c.retired())
                .orElseThrow(RemoteContentConfigurationsHandler::notFound);
    }

    private static ProblemException notFound() {
        return new ProblemException(Problem.notFound("configurationId: no such configuration"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
