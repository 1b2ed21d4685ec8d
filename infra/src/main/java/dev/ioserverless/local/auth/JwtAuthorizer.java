package dev.ioserverless.local.auth;

import dev.ioserverless.local.template.Resource;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.util.List;
import java.util.Map;

/**
 * An HttpApi's default JWT authorizer as the template declares it ({@code Auth.DefaultAuthorizer}
 * naming an entry of {@code Auth.Authorizers} with a {@code JwtConfiguration}), its values
 * resolved: the issuer and audiences the token must carry, and the claim that holds the
 * citizen's fiscal code (the {@code CitizenFiscalCodeClaim} parameter, {@value #DEFAULT_FISCAL_CODE_CLAIM}
 * by default).
 */
public record JwtAuthorizer(String apiLogicalId, String issuer, List<String> audiences, String fiscalCodeClaim) {
    public static final String FISCAL_CODE_CLAIM_PARAMETER = "CitizenFiscalCodeClaim";
    public static final String DEFAULT_FISCAL_CODE_CLAIM = "fiscal_code";

    /** The API's default JWT authorizer, or null when it has none. */
    public static JwtAuthorizer of(Stack stack, Resource api) {
        Map<String, Object> auth = SamTemplate.map(api.property("Auth"));
        Object name = stack.resolve(auth.get("DefaultAuthorizer"));
        if (name == null) {
            return null;
        }
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get(String.valueOf(name)));
        Map<String, Object> jwt = SamTemplate.map(authorizer.get("JwtConfiguration"));
        if (jwt.isEmpty()) {
            throw new IllegalArgumentException(api.logicalId() + ": the local platform runs JWT authorizers only; "
                    + name + " has no JwtConfiguration");
        }
        String issuer = stack.resolveString(jwt.get("issuer"));
        List<String> audiences = SamTemplate.list(stack.resolve(jwt.get("audience"))).stream().map(String::valueOf).toList();
        if (issuer == null || audiences.isEmpty()) {
            throw new IllegalArgumentException(api.logicalId() + "." + name + ": JwtConfiguration needs issuer and audience");
        }
        String claim = stack.template().parameters().containsKey(FISCAL_CODE_CLAIM_PARAMETER)
                ? stack.resolveString(Map.of("Ref", FISCAL_CODE_CLAIM_PARAMETER))
                : DEFAULT_FISCAL_CODE_CLAIM;
        return new JwtAuthorizer(api.logicalId(), issuer, audiences, claim);
    }
}
