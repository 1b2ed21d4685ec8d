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
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/email-validation-process} on the citizen API (IO's
 * {@code startEmailValidationProcess}): a new validation link for the profile's email, sent to
 * it; 202 with no body. The link's base is {@code CITIZEN_API_PUBLIC_URL}, or, when that is empty,
 * the host API Gateway served this request on.
 */
public final class StartEmailValidationProcessHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    private final CitizenApi api;
    private final EmailValidation validation;
    private final String publicUrl;
    private final Log log;
    private Priming priming = Priming.none();

    public StartEmailValidationProcessHandler() {
        this(Config.fromEnvironment());
    }

    public StartEmailValidationProcessHandler(Config config) {
        this(config, new Log("StartEmailValidationProcess", config));
    }

    private StartEmailValidationProcessHandler(Config config, Log log) {
        this(CitizenApi.fromConfig(config, log), ProfileEmails.validation(config, true),
                config.get(ProfileEmails.PUBLIC_URL, ""), log);
        priming = new Priming(log, List.of(
                Priming.json(UpdateProfileHandler.PRIMING_PROFILE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE"), "fiscal_code"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require(ProfileEmails.TOKENS_TABLE), "token_hash"),
                // Nobody's profile: a 404 before any token is made or email sent.
                Priming.http(() -> handleRequest(Priming.citizenRequest(api.fiscalCodeClaim(),
                        "POST /api/v1/email-validation-process", "/api/v1/email-validation-process", Map.of(), Map.of(),
                        null), null), 404)))
                .register();
    }

    /** @param publicUrl the citizen API's public base URL ending in /api/v1, or empty for the request's host */
    public StartEmailValidationProcessHandler(CitizenApi api, EmailValidation validation, String publicUrl, Log log) {
        this.api = api;
        this.validation = validation;
        this.publicUrl = publicUrl == null ? "" : publicUrl;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, "StartEmailValidationProcess", (citizen, request) -> {
            validation.start(citizen.fiscalCode(), () -> publicUrl.isEmpty() ? requestBaseUrl(request) : publicUrl);
            log.info("email_validation_started", "fiscal_code_ref", log.fiscalCodeRef(citizen.fiscalCode()),
                    "valid_minutes", EmailValidation.TOKEN_LIFETIME.toMinutes());
            return new ApiResponse(202, Map.of(), null);
        });
    }

    /**
     * {@code https://<domain>/api/v1} of the API Gateway domain that served the request; plain
     * http only for a loopback host, which only the local platform serves.
     */
    static String requestBaseUrl(APIGatewayV2HTTPEvent request) {
        String domain = request.getRequestContext() == null ? null : request.getRequestContext().getDomainName();
        if (domain == null || domain.isBlank()) {
            throw new IllegalStateException("the request names no domain and CITIZEN_API_PUBLIC_URL is not set");
        }
        String host = domain.toLowerCase(Locale.ROOT);
        boolean loopback = host.startsWith("127.0.0.1") || host.startsWith("localhost") || host.startsWith("[::1]");
        return (loopback ? "http://" : "https://") + domain + "/api/v1";
    }
}
