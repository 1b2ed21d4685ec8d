package dev.ioserverless.payments;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.Map;

/**
 * The citizen's receipt routes' parameters, each checked with a 400 that names it. The list takes
 * pagoPA's paid-notices parameters ({@code size}, {@code is_payer}, {@code is_debtor},
 * {@code orderby}, {@code ordering}, the {@code x-continuation-token} header) and also the
 * continuation token as the {@code continuation_token} query parameter.
 */
final class ReceiptRequests {
    static final String TOKEN_HEADER = "x-continuation-token";
    static final String TOKEN_PARAMETER = "continuation_token";

    private ReceiptRequests() {
    }

    /** The page the citizen {@code fiscalCode} asks for. */
    static ReceiptQuery listQuery(APIGatewayV2HTTPEvent event, String fiscalCode) {
        Map<String, String> query = query(event);
        int size = size(query.get("size"));
        Boolean isPayer = optionalBoolean(query, "is_payer");
        Boolean isDebtor = optionalBoolean(query, "is_debtor");
        String orderBy = query.get("orderby");
        if (orderBy != null && !orderBy.equals("TRANSACTION_DATE")) {
            throw new ProblemException(Problem.badRequest("orderby: must be TRANSACTION_DATE"));
        }
        String ordering = query.getOrDefault("ordering", "DESC");
        if (!ordering.equals("DESC") && !ordering.equals("ASC")) {
            throw new ProblemException(Problem.badRequest("ordering: must be DESC or ASC"));
        }
        boolean newestFirst = ordering.equals("DESC");

        String fromHeader = Http.header(event, TOKEN_HEADER).filter(v -> !v.isEmpty()).orElse(null);
        String fromQuery = query.get(TOKEN_PARAMETER);
        if (fromQuery != null && fromQuery.isEmpty()) {
            fromQuery = null;
        }
        if (fromHeader != null && fromQuery != null && !fromHeader.equals(fromQuery)) {
            throw new ProblemException(Problem.badRequest(TOKEN_PARAMETER + ": differs from the " + TOKEN_HEADER
                    + " header; send one of them"));
        }
        String token = fromQuery != null ? fromQuery : fromHeader;
        String tokenName = fromQuery != null ? TOKEN_PARAMETER : TOKEN_HEADER;
        ReceiptPosition after = null;
        if (token != null) {
            ContinuationToken.Decoded decoded = ContinuationToken.decode(fiscalCode, token)
                    .orElseThrow(() -> new ProblemException(Problem.badRequest(
                            tokenName + ": not a continuation token of this list")));
            if (decoded.newestFirst() != newestFirst) {
                throw new ProblemException(Problem.badRequest(tokenName + ": was issued for ordering="
                        + (decoded.newestFirst() ? "DESC" : "ASC") + "; ask with the same ordering"));
            }
            after = decoded.after();
        }
        return new ReceiptQuery(size, after, newestFirst, isPayer, isDebtor);
    }

    /** The receipt id of the path: 400 when it cannot be one. */
    static String eventId(APIGatewayV2HTTPEvent event) {
        String id = Http.pathParameter(event, "eventId");
        if (id == null || id.isEmpty()) {
            throw new ProblemException(Problem.badRequest("eventId: required"));
        }
        if (!ReceiptPosition.isReceiptId(id)) {
            throw new ProblemException(Problem.badRequest("eventId: must be 1 to 64 letters, digits or _ . : -"));
        }
        return id;
    }

    private static int size(String value) {
        if (value == null) {
            return ReceiptQuery.DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= 1 && size <= ReceiptQuery.MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.badRequest("size: must be an integer from 1 to " + ReceiptQuery.MAX_SIZE));
    }

    private static Boolean optionalBoolean(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new ProblemException(Problem.badRequest(name + ": must be true or false"));
        };
    }

    private static Map<String, String> query(APIGatewayV2HTTPEvent event) {
        Map<String, String> parameters = event.getQueryStringParameters();
        return parameters == null ? Map.of() : parameters;
    }
}
