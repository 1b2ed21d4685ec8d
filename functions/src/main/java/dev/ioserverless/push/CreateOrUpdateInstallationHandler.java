package dev.ioserverless.push;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /api/v1/installations/{installationID}} on the citizen API (IO's
 * {@code createOrUpdateInstallation}): registers one of the signed-in citizen's devices,
 * {@code {"platform": "apns"|"gcm"|"fcmv1", "pushChannel": <device token>}}, with its SNS
 * platform endpoint ({@link InstallationRegistrar}: a new token updates the endpoint, a disabled
 * endpoint is enabled again). Answers IO's {@code {"message": "ok"}} once the device is registered.
 * Installations are kept per citizen: the id is the app's, and a citizen reaches only their own.
 */
public final class CreateOrUpdateInstallationHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final InstallationRegistrar registrar;
    private final Log log;
    private Priming priming = Priming.none();

    public CreateOrUpdateInstallationHandler() {
        this(Config.fromEnvironment());
    }

    public CreateOrUpdateInstallationHandler(Config config) {
        this(config, new Log("CreateOrUpdateInstallation", config));
    }

    private CreateOrUpdateInstallationHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), new InstallationRegistrar(
                new DynamoInstallationStore(AwsClients.dynamoDb(config), config.require("INSTALLATIONS_TABLE")),
                PushNotificationHandler.pushEndpoints(config), config.clock()), log);
        List<Priming.Step> steps = new ArrayList<>(List.of(
                Priming.json("{\"platform\":\"fcmv1\",\"pushChannel\":\"" + Priming.ABSENT + "\"}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("INSTALLATIONS_TABLE"),
                        "fiscal_code", "installation_id")));
        steps.addAll(PushNotificationHandler.snsPriming(config));
        // An unknown platform: the registrar's validation answers 400 before anything is read or written.
        steps.add(Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(),
                "PUT /api/v1/installations/{installationID}", "/api/v1/installations/" + Priming.ABSENT,
                Map.of("installationID", Priming.ABSENT), Map.of(),
                "{\"platform\":\"" + Priming.ABSENT + "\",\"pushChannel\":\"" + Priming.ABSENT + "\"}"), null), 400));
        priming = new Priming(log, steps).register();
    }

    public CreateOrUpdateInstallationHandler(CitizenApi api, InstallationRegistrar registrar, Log log) {
        this.api = api;
        this.registrar = registrar;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "CreateOrUpdateInstallation", (citizen, request) -> {
            JsonNode body = Http.jsonObjectBody(request);
            Installation installation = registrar.register(citizen.fiscalCode(), Http.pathParameter(request, "installationID"),
                    text(body, "platform"), text(body, "pushChannel"));
            log.info("installation_registered", "fiscal_code_ref", log.fiscalCodeRef(citizen.fiscalCode()),
                    "installation_id", installation.installationId(), "platform", installation.platform().value());
            return ApiResponse.json(200, Map.of("message", "ok"));
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
