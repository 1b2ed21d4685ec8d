package dev.ioserverless.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.ApiResponse;
import java.util.function.BiFunction;

/**
 * The request pipeline of every citizen API handler: who is calling (the {@link Citizen} of the
 * token's claims, 401 without one), then the operation, whose {@link ProblemException}s become
 * problem responses and whose other failures a 500 that reveals nothing. Every operation reads
 * and writes only the calling citizen's data, keyed by {@link Citizen#fiscalCode()}: there is no
 * route parameter that names another citizen.
 *
 * <p>One log line per rejection or failure, with the citizen as a keyed hash only.
 */
public final class CitizenApi {
    /** The variable naming the token claim that holds the fiscal code. */
    public static final String FISCAL_CODE_CLAIM = "FISCAL_CODE_CLAIM";
    private final String fiscalCodeClaim;
    private final Log log;

    public CitizenApi(String fiscalCodeClaim, Log log) {
        this.fiscalCodeClaim = fiscalCodeClaim;
        this.log = log;
    }

    public static CitizenApi fromConfig(Config config, Log log) {
        return new CitizenApi(config.get(FISCAL_CODE_CLAIM, "fiscal_code"), log);
    }

    /** The token claim that holds the fiscal code. */
    public String fiscalCodeClaim() {
        return fiscalCodeClaim;
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, String operation,
                                           BiFunction<Citizen, APIGatewayV2HTTPEvent, ApiResponse> work) {
        Citizen citizen = null;
        try {
            citizen = Citizen.from(event, fiscalCodeClaim);
            return work.apply(citizen, event).toLambda();
        } catch (ProblemException e) {
            log.info("request_rejected", "operation", operation, "fiscal_code_ref", ref(citizen),
                    "status", e.problem().status(), "detail", e.problem().detail());
            return ApiResponse.problem(e.problem()).toLambda();
        } catch (RuntimeException e) {
            log.error("request_failed", "operation", operation, "fiscal_code_ref", ref(citizen),
                    "error", Failures.describe(e));
            return ApiResponse.problem(Problem.of(500, "Internal error", "request: could not be completed; retry later"))
                    .toLambda();
        }
    }

    private String ref(Citizen citizen) {
        return citizen == null ? null : log.fiscalCodeRef(citizen.fiscalCode());
    }
}
