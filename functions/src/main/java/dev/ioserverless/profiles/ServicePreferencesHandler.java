package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.Citizen;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET} and {@code POST /api/v1/services/{service_id}/preferences} on the citizen API (IO's
 * {@code getServicePreferences} and {@code upsertServicePreferences}): the signed-in citizen's
 * preference for one service, by the {@link ServicePreferenceChoice} rules. An unknown service, or
 * a citizen without a profile, is a 404. What is written here is what {@code ProcessMessage} and
 * the Services API's {@code sender_allowed} decide by.
 */
public final class ServicePreferencesHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final ProfileStore profiles;
    private final ServicePreferenceStore preferences;
    private final Predicate<String> serviceExists;
    private final Log log;
    private Priming priming = Priming.none();

    public ServicePreferencesHandler() {
        this(Config.fromEnvironment());
    }

    public ServicePreferencesHandler(Config config) {
        this(config, new Log("ServicePreferences", config));
    }

    private ServicePreferencesHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                new DynamoServicePreferenceStore(AwsClients.dynamoDb(config), config.require("SERVICE_PREFERENCES_TABLE")),
                new DynamoServiceExistence(AwsClients.dynamoDb(config), config.require("SERVICES_TABLE")), log);
        priming = new Priming(log, List.of(
                Priming.json("{\"is_inbox_enabled\":true,\"is_email_enabled\":false,\"is_webhook_enabled\":true,"
                        + "\"can_access_message_read_status\":true,\"settings_version\":0}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE"), "fiscal_code"),
                // A GET, which never writes: the citizen has no profile, so it is a 404.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(),
                        "GET /api/v1/services/{service_id}/preferences", "/api/v1/services/" + Priming.ABSENT + "/preferences",
                        Map.of("service_id", Priming.ABSENT), Map.of(), null), null), 404)))
                .register();
    }

    public ServicePreferencesHandler(CitizenApi api, ProfileStore profiles, ServicePreferenceStore preferences,
                                     Predicate<String> serviceExists, Log log) {
        this.api = api;
        this.profiles = profiles;
        this.preferences = preferences;
        this.serviceExists = serviceExists;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "ServicePreferences", (citizen, request) -> {
            boolean write = "POST".equals(Http.method(request));
            var body = write ? Http.jsonObjectBody(request) : null;
            String serviceId = Http.pathParameter(request, "service_id");
            if (serviceId == null || serviceId.isBlank() || serviceId.length() > 128) {
                throw new ProblemException(Problem.badRequest("service_id: required, at most 128 characters"));
            }
            Profile profile = profiles.find(citizen.fiscalCode()).orElseThrow(() -> new ProblemException(
                    Problem.notFound("profile: none yet; create it with POST /api/v1/profile")));
            if (!serviceExists.test(serviceId)) {
                throw new ProblemException(Problem.notFound("service_id: no such service"));
            }
            if (!write) {
                return ApiResponse.json(200, ServicePreferenceChoice.view(profile, serviceId,
                        preferences.find(citizen.fiscalCode(), serviceId)));
            }
            ServicePreference chosen = ServicePreferenceChoice.upsert(profile, serviceId, body);
            preferences.save(chosen);
            logChoice(citizen, chosen);
            return ApiResponse.json(200, ServicePreferenceChoice.toJson(chosen));
        });
    }

    private void logChoice(Citizen citizen, ServicePreference chosen) {
        log.info("service_preference_saved", "fiscal_code_ref", log.fiscalCodeRef(citizen.fiscalCode()),
                "service_id", chosen.serviceId(), "is_inbox_enabled", chosen.isInboxEnabled(),
                "settings_version", chosen.settingsVersion());
    }
}
