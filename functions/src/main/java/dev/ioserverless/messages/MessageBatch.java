package dev.ioserverless.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /api/v1/messages/batch}: {@code {"messages": [...]}}, 1 to
 * {@value #MAX_ITEMS} items, each a NewMessage with its {@code fiscal_code} in it. Unknown
 * top-level fields are ignored, as everywhere.
 */
public final class MessageBatch {
    public static final int MAX_ITEMS = 100;

    private MessageBatch() {
    }

    /**
     * The batch's items, in order.
     *
     * @throws ProblemException 400 when {@code messages} is missing, not an array or empty; 413
     *     over {@value #MAX_ITEMS} items
     */
    public static List<JsonNode> items(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null) {
            throw new ProblemException(Problem.badRequest("messages: required, an array of 1 to " + MAX_ITEMS
                    + " messages"));
        }
        if (!messages.isArray()) {
            throw new ProblemException(Problem.badRequest("messages: must be an array"));
        }
        if (messages.isEmpty()) {
            throw new ProblemException(Problem.badRequest("messages: must hold at least 1 message"));
        }
        if (messages.size() > MAX_ITEMS) {
            throw new ProblemException(Problem.of(413, "Payload too large",
                    "messages: at most " + MAX_ITEMS + " messages per batch, got " + messages.size()));
        }
        List<JsonNode> items = new ArrayList<>(messages.size());
        messages.forEach(items::add);
        return items;
    }

    /**
     * How many requests a batch counts for in the service's rate limit: one per item, at least 1
     * (a body that is not a batch counts as one request) and at most {@value #MAX_ITEMS} (a larger
     * batch is rejected without any work, so it counts like the largest allowed one).
     */
    public static int cost(Optional<JsonNode> body) {
        JsonNode messages = body.map(node -> node.get("messages")).orElse(null);
        if (messages == null || !messages.isArray()) {
            return 1;
        }
        return Math.max(1, Math.min(MAX_ITEMS, messages.size()));
    }
}
