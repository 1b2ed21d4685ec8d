package dev.ioserverless.inbox;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Ulid;
import java.util.Locale;
import java.util.Map;

/** The citizen's message routes' parameters, each checked with a 400 that names it. */
final class InboxRequests {
    private InboxRequests() {
    }

    /** A message id: a ULID (IO accepts either case; ours are stored in upper case). */
    static String messageId(APIGatewayV2HTTPEvent event) {
        return ulid("id", Http.pathParameter(event, "id"), true);
    }

    static String queryUlid(APIGatewayV2HTTPEvent event, String name) {
        return ulid(name, query(event).get(name), false);
    }

    private static String ulid(String name, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new ProblemException(Problem.badRequest(name + ": required"));
            }
            return null;
        }
        String id = value.toUpperCase(Locale.ROOT);
        if (!Ulid.isValid(id)) {
            throw new ProblemException(Problem.badRequest(name + ": must be a message id (a ULID, 26 characters)"));
        }
        return id;
    }

    static boolean queryBoolean(APIGatewayV2HTTPEvent event, String name) {
        String value = query(event).get(name);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ProblemException(Problem.badRequest(name + ": must be true or false"));
        };
    }

    static int pageSize(APIGatewayV2HTTPEvent event) {
        String value = query(event).get("page_size");
        if (value == null) {
            return InboxStore.MAX_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= 1 && size <= InboxStore.MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.badRequest("page_size: must be an integer from 1 to " + InboxStore.MAX_PAGE_SIZE));
    }

    private static Map<String, String> query(APIGatewayV2HTTPEvent event) {
        Map<String, String> parameters = event.getQueryStringParameters();
        return parameters == null ? Map.of() : parameters;
    }
}
