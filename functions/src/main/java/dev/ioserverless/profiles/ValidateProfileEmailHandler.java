package dev.ioserverless.profiles;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/validate-profile-email?token=...} on the citizen API, the link of the
 * validation email. A public route (no token: a browser opens it), so the token in the query is
 * its only credential. It answers a small HTML page in the profile's language: 200 validated; 404
 * an unknown or forged link, 410 used or expired, 409 the address taken by another citizen or
 * changed since, 429 too many attempts, 503 a failure. Never a problem document, never a trace;
 * the page loads nothing ({@code Content-Security-Policy: default-src 'none'}).
 */
public final class ValidateProfileEmailHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Type", "text/html; charset=utf-8",
            "Content-Security-Policy", "default-src 'none'",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY");
    private final EmailValidation validation;
    private final Log log;
    private Priming priming = Priming.none();

    public ValidateProfileEmailHandler() {
        this(Config.fromEnvironment());
    }

    public ValidateProfileEmailHandler(Config config) {
        this(config, new Log("ValidateProfileEmail", config));
    }

    private ValidateProfileEmailHandler(Config config, Log log) {
        this(ProfileEmails.validation(config, false), log);
        priming = new Priming(log, List.of(
                Priming.json(UpdateProfileHandler.PRIMING_PROFILE),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require(ProfileEmails.TOKENS_TABLE), "token_hash"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("PROFILES_TABLE"), "fiscal_code"),
                // A malformed token: the invalid-link page, before anything is read or counted.
                Priming.http(() -> handleRequest(Priming.request("GET /api/v1/validate-profile-email",
                        "/api/v1/validate-profile-email", Map.of(), Map.of("token", "priming"), null), null), 404)))
                .register();
    }

    public ValidateProfileEmailHandler(EmailValidation validation, Log log) {
        this.validation = validation;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> query = event.getQueryStringParameters();
        String token = query == null ? null : query.get("token");
        EmailValidation.Result result;
        try {
            result = validation.validate(token);
        } catch (RuntimeException e) {
            log.error("email_validation_failed", "error", Failures.describe(e));
            result = new EmailValidation.Result(ValidationTexts.Outcome.FAILED, null, ValidationTexts.Language.IT);
        }
        if (result.outcome() != ValidationTexts.Outcome.FAILED) {
            log.info("email_validation_link_used", "fiscal_code_ref", log.fiscalCodeRef(result.fiscalCode()),
                    "outcome", result.outcome().name(), "status", result.status());
        }
        Map<String, String> headers = new LinkedHashMap<>(PAGE_HEADERS);
        if (result.outcome() == ValidationTexts.Outcome.TOO_MANY || result.outcome() == ValidationTexts.Outcome.FAILED) {
            headers.put("Retry-After", result.outcome() == ValidationTexts.Outcome.TOO_MANY ? "3600" : "60");
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(result.status())
                .withHeaders(headers)
                .withBody(ValidationTexts.page(result.language(), result.outcome()))
                .withIsBase64Encoded(false)
                .build();
    }
}
