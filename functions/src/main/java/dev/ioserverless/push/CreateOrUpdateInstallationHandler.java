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
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.util.Map;

/**
 * {@code PUT /api/v1/installations/{installationID}} on the citizen API (IO's
 * {@code createOrUpdateInstallation}): registers one of the signed-in citizen's devices,
 * {@code {"platform": "apns"|"gcm"|"fcmv1", "pushChannel": <device token>}}, with its SNS
 * platform endpoint ({@link InstallationRegistrar}: a new token updates the endpoint, a disabled
 * endpoint is enabled again). Answers IO's {@code {"message": "ok"}} once the device is registered.
 * Installations are kept per citizen: the id is the app's, and a citizen reaches only their own.
 */
public final class CreateOrUpdateInstallationHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CitizenApi api;
    private final InstallationRegistrar registrar;
    private final Log log;

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
    }

    public CreateOrUpdateInstallationHandler(CitizenApi api, InstallationRegistrar registrar, Log log) {
        this.api = api;
        this.registrar = registrar;
        this.log = log;
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
