package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.services.ApiResponse;

/**
 * {@code GET /api/v1/profile} on the citizen API (IO's {@code getUserProfile}): the signed-in
 * citizen's profile as IO's {@code InitializedProfile}, 200 even before a profile exists
 * ({@code has_profile: false}, {@code version: 0}).
 */
public final class GetUserProfileHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CitizenApi api;
    private final ProfileStore profiles;

    public GetUserProfileHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserProfileHandler(Config config) {
        this(CitizenApi.fromConfig(config, new Log("GetUserProfile", config)),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")));
    }

    public GetUserProfileHandler(CitizenApi api, ProfileStore profiles) {
        this.api = api;
        this.profiles = profiles;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetUserProfile", (citizen, request) ->
                ApiResponse.json(200, InitializedProfileView.of(citizen, profiles.find(citizen.fiscalCode()))));
    }
}
