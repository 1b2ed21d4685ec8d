package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.services.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/profile} on the citizen API (IO's {@code getUserProfile}): the signed-in
 * citizen's profile as IO's {@code InitializedProfile}, 200 even before a profile exists
 * ({@code has_profile: false}, {@code version: 0}). {@code is_email_already_taken} is read from
 * the validated addresses, by key.
 */
public final class GetUserProfileHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final ProfileStore profiles;
    private final ValidatedEmails validatedEmails;
    private Priming priming = Priming.none();

    public GetUserProfileHandler() {
        this(Config.fromEnvironment());
    }

    public GetUserProfileHandler(Config config) {
        this(config, new Log("GetUserProfile", config));
    }

    private GetUserProfileHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")),
                ProfileEmails.validatedEmails(config));
        priming = new Priming(log, List.of(
                Priming.json(UpdateProfileHandler.PRIMING_PROFILE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE"), "fiscal_code"),
                // This function only reads: the profile of a citizen who does not exist.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "GET /api/v1/profile",
                        "/api/v1/profile", Map.of(), Map.of(), null), null), 200)))
                .register();
    }

    public GetUserProfileHandler(CitizenApi api, ProfileStore profiles) {
        this(api, profiles, ValidatedEmails.NONE);
    }

    public GetUserProfileHandler(CitizenApi api, ProfileStore profiles, ValidatedEmails validatedEmails) {
        this.api = api;
        this.profiles = profiles;
        this.validatedEmails = validatedEmails;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "GetUserProfile", (citizen, request) -> {
            Optional<Profile> profile = profiles.find(citizen.fiscalCode());
            return ApiResponse.json(200, InitializedProfileView.of(citizen, profile,
                    profile.map(p -> EmailValidation.isAlreadyTaken(p, validatedEmails)).orElse(false)));
        });
    }
}
