package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.api.CitizenApi;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.WelcomeMessages;
import dev.ioserverless.services.ApiResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/profile} on the citizen API (IO's {@code updateProfile}): creates the
 * signed-in citizen's profile or updates it by the {@link ProfileUpdate} rules, and answers the
 * result as IO's {@code InitializedProfile}. The write is conditional on the version read, so of
 * two updates made from the same version one wins and the other is a 409.
 *
 * <p>When a profile first accepts the terms of service the citizen gets the platform's welcome
 * messages ({@link Welcome}), exactly once: after the write, and again when that same update is
 * retried (a 409, since its version is now stale), which finds them sent or finishes sending them.
 * A failure there is a 500, so the app retries.
 *
 * <p>A new or changed {@code email} is unvalidated ({@link ProfileUpdate}); the citizen's address
 * validated before, once replaced, is released so that another citizen may validate it.
 */
public final class UpdateProfileHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    /** A profile of the shape of IO's {@code InitializedProfile}, for priming. */
    static final String PRIMING_PROFILE = "{\"fiscal_code\":\"" + Priming.NOBODY + "\",\"name\":\"Priming\","
            + "\"family_name\":\"Priming\",\"has_profile\":true,\"is_inbox_enabled\":true,\"is_email_enabled\":false,"
            + "\"is_webhook_enabled\":true,\"accepted_tos_version\":4,\"preferred_languages\":[\"it_IT\"],"
            + "\"service_preferences_settings\":{\"mode\":\"AUTO\"},\"version\":1}";
    private final CitizenApi api;
    private final ProfileStore profiles;
    private final Clock clock;
    private final Welcome welcome;
    private final Log log;
    private final ValidatedEmails validatedEmails;
    private Priming priming = Priming.none();

    public UpdateProfileHandler() {
        this(Config.fromEnvironment());
    }

    public UpdateProfileHandler(Config config) {
        this(config, new Log("UpdateProfile", config));
    }

    private UpdateProfileHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log),
                new DynamoProfileStore(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE")), config.clock(),
                WelcomeMessages.fromConfig(config), log, ProfileEmails.validatedEmails(config));
        priming = new Priming(log, List.of(
                Priming.json(PRIMING_PROFILE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE"), "fiscal_code"),
                Priming.sqsQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                // An invalid version: ProfileUpdate.parse answers 400 before the profile is read or written.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(), "POST /api/v1/profile",
                        "/api/v1/profile", Map.of(), Map.of(), "{\"version\":-1,\"is_inbox_enabled\":true}"), null), 400)))
                .register();
    }

    public UpdateProfileHandler(CitizenApi api, ProfileStore profiles, Clock clock, Welcome welcome, Log log) {
        this(api, profiles, clock, welcome, log, ValidatedEmails.NONE);
    }

    public UpdateProfileHandler(CitizenApi api, ProfileStore profiles, Clock clock, Welcome welcome, Log log,
                                ValidatedEmails validatedEmails) {
        this.validatedEmails = validatedEmails;
        this.api = api;
        this.profiles = profiles;
        this.clock = clock;
        this.welcome = welcome;
        this.log = log;
    }

    /** Warms this function up for its SnapStart snapshot, writing nothing: exactly what its checkpoint hook runs. */
    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "UpdateProfile", (citizen, request) -> {
            ProfileUpdate update = ProfileUpdate.parse(Http.jsonObjectBody(request));
            Optional<Profile> stored = profiles.find(citizen.fiscalCode());
            Profile next;
            try {
                next = update.applyTo(citizen.fiscalCode(), stored, clock.instant());
                profiles.replace(next, stored.map(Profile::version).orElse(0L), stored.isPresent());
            } catch (ProfileStore.StaleVersionException e) {
                throw ProfileUpdate.conflict("version: the profile changed while this update was made; read it and apply the change again");
            } catch (ProblemException e) {
                if (e.problem().status() == 409 && isRetryOfTheAcceptance(update, stored)) {
                    welcome.ensureSent(stored.get());
                }
                throw e;
            }
            if (next.hasAcceptedTermsOfService() && !stored.map(Profile::hasAcceptedTermsOfService).orElse(false)) {
                welcome.ensureSent(next);
            }
            EmailValidation.afterUpdate(stored, next, validatedEmails);
            log.info("profile_updated", "fiscal_code_ref", log.fiscalCodeRef(citizen.fiscalCode()),
                    "created", stored.isEmpty(), "version", next.version(), "mode", next.servicePreferencesMode().name(),
                    "settings_version", next.servicePreferencesVersion());
            return ApiResponse.json(200, InitializedProfileView.of(citizen, Optional.of(next),
                    EmailValidation.isAlreadyTaken(next, validatedEmails)));
        });
    }

    /** The update that accepted the terms, sent again: it names the version just before the stored one. */
    private static boolean isRetryOfTheAcceptance(ProfileUpdate update, Optional<Profile> stored) {
        return stored.isPresent() && stored.get().hasAcceptedTermsOfService() && update.acceptedTosVersion().isPresent()
                && update.version() == stored.get().version() - 1;
    }
}
