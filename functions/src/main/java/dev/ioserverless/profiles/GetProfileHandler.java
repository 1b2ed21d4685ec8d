package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/profiles/{fiscal_code}} and {@code POST /api/v1/profiles} with
 * {@code {"fiscal_code": ...}} (IO's {@code getProfile} and {@code getProfileByPOST}, the second
 * keeping the fiscal code out of URLs and their logs): whether the calling service may write to
 * the citizen. Answers 200 with IO's {@code LimitedProfile}, exactly
 * {@code {"sender_allowed": true|false, "preferred_languages": [...]}}.
 *
 * <p>Order of checks: the {@link ServicesApi} pipeline (key 401, rate limit 429, source address
 * 403, group ApiLimitedProfileRead 403), then the fiscal code (for POST the body first: 415, 413,
 * 400), then the profile: 404 when there is none or its inbox is disabled. {@code sender_allowed}
 * follows the citizen's preference mode ({@link PreferenceDecision}). Reads only.
 */
public final class GetProfileHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final ServicesApi api;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final Log log;
    private final ApiOperation operation = new Operation();
    private Priming priming = Priming.none();

    public GetProfileHandler() {
        this(Config.fromEnvironment());
    }

    public GetProfileHandler(Config config) {
        this(config, new Log("GetProfile", config));
    }

    private GetProfileHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, false),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(AwsClients.dynamoDb(config), config.require("SERVICE_PREFERENCES_TABLE")),
                log);
        priming = new Priming(log, List.of(
                Priming.json("{\"sender_allowed\":true,\"preferred_languages\":[\"it_IT\",\"en_GB\"]}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                // Without an API key the pipeline answers 401 before it reads or writes anything.
                Priming.http(() -> handleRequest(Priming.request("GET /api/v1/profiles/{fiscal_code}",
                        "/api/v1/profiles/" + Priming.NOBODY, Map.of("fiscal_code", Priming.NOBODY), Map.of(), null),
                        null), 401)))
                .register();
    }

    public GetProfileHandler(ServicesApi api, ProfileStore profiles, ServicePreferenceStore preferences, Log log) {
        this.api = api;
        this.profiles = profiles;
        this.preferences = preferences;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, operation, context);
    }

    private final class Operation implements ApiOperation {
        @Override
        public String name() {
            return "GetProfile";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiLimitedProfileRead);
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            String fiscalCode = fiscalCode(request);
            var service = request.service();
            String serviceId = service.serviceId();
            // A sandbox service (limited writes only) must not learn who has a profile beyond its recipients.
            if (service.hasGroup(ServiceGroup.ApiLimitedMessageWrite) && !service.hasGroup(ServiceGroup.ApiMessageWrite)
                    && !service.isAuthorizedRecipient(fiscalCode)) {
                throw new ProblemException(Problem.forbidden(
                        "fiscal_code: not among the authorized recipients of a service limited to them"));
            }
            Optional<Profile> profile = profiles.find(fiscalCode);
            Optional<ServicePreference> preference = profile.isPresent() && PreferenceDecision.needsServicePreference(profile.get())
                    ? preferences.find(fiscalCode, serviceId)
                    : Optional.empty();
            LimitedProfile limited = LimitedProfile.of(profile, serviceId, preference)
                    .orElseThrow(() -> new ProblemException(Problem.notFound(
                            "fiscal_code: no profile with an enabled inbox for this fiscal code")));
            log.info("profile_read", "service_id", serviceId, "fiscal_code_ref", log.fiscalCodeRef(fiscalCode),
                    "sender_allowed", limited.senderAllowed());
            return ApiResponse.json(200, limited.toJson());
        }
    }

    /** The fiscal code from the path (GET) or from the body's {@code fiscal_code} (POST); 400 when invalid. */
    private static String fiscalCode(ApiRequest request) {
        String fromPath = request.pathParameter("fiscal_code");
        String value;
        if (fromPath != null) {
            value = fromPath;
        } else {
            JsonNode node = request.jsonBody().get("fiscal_code");
            if (node == null) {
                throw new ProblemException(Problem.badRequest("fiscal_code: required"));
            }
            if (!node.isTextual()) {
                throw new ProblemException(Problem.badRequest("fiscal_code: must be a string"));
            }
            value = node.textValue();
        }
        if (!FiscalCode.isValid(value)) {
            throw new ProblemException(Problem.badRequest(
                    "fiscal_code: must be a valid fiscal code matching " + FiscalCode.PATTERN));
        }
        return value;
    }
}
