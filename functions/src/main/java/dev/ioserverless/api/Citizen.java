package dev.ioserverless.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.Map;

/**
 * The signed-in citizen, from the claims API Gateway's JWT authorizer put on the request after
 * checking the token ({@code requestContext.authorizer.jwt.claims}): the fiscal code from the
 * configured claim, name and family name from theirs, as a SPID login gives them.
 */
public record Citizen(String fiscalCode, String name, String familyName) {

    /**
     * @throws ProblemException 401 when the request carries no authorizer claims or no valid
     *     fiscal code in {@code fiscalCodeClaim} (a token from another issuer's configuration)
     */
    public static Citizen from(APIGatewayV2HTTPEvent event, String fiscalCodeClaim) {
        Map<String, String> claims = claims(event);
        String fiscalCode = claims.get(fiscalCodeClaim);
        if (fiscalCode == null || !FiscalCode.isValid(fiscalCode)) {
            throw new ProblemException(Problem.unauthorized(
                    "token: the claim " + fiscalCodeClaim + " must hold the citizen's fiscal code"));
        }
        return new Citizen(fiscalCode, claims.getOrDefault("name", ""), claims.getOrDefault("family_name", ""));
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getJwt().getClaims();
    }
}
