package dev.ioserverless.local.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.local.runtime.HttpGateway.LocalResponse;
import dev.ioserverless.local.runtime.HttpGateway.LocalRoute;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The local SES outbox under {@code /_local/emails}:
 * <ul>
 *   <li>{@code GET /_local/emails[?to=<address>]}: the accepted emails, newest first, without bodies;</li>
 *   <li>{@code GET /_local/emails/{id}}: one email with its text and HTML parts;</li>
 *   <li>{@code POST /_local/emails/{id}/bounce} and {@code .../complaint}: SES's event record of a
 *       bounce or complaint of every recipient, published through the platform's SNS client to the
 *       topic of each enabled event destination of the email's configuration set that matches it;</li>
 *   <li>{@code POST /_local/emails/throttle?count=N}: the next N SendEmail calls answer 429.</li>
 * </ul>
 * With SES served by an external endpoint there is no outbox: every route answers 404.
 */
public final class OutboxRoutes implements LocalRoute {
    private static final Log LOG = Log.platform("ses-outbox");
    private static final int MAX_THROTTLE = 10_000;

    private final SesEmulator ses;
    private final SnsClient sns;
    private final Clock clock;

    /** {@code ses} null: SES is served elsewhere. */
    public OutboxRoutes(SesEmulator ses, SnsClient sns, Clock clock) {
        this.ses = ses;
        this.sns = sns;
        this.clock = clock;
    }

    @Override
    public LocalResponse handle(String method, String path, Map<String, String> query, byte[] body) {
        if (ses == null) {
            return problem(404, "emails: SES is served by the external endpoint, which keeps no local outbox");
        }
        String[] parts = path.split("/");
        if (parts.length == 1 && method.equals("GET")) {
            return list(query.get("to"));
        }
        if (parts.length == 2 && parts[1].equals("throttle") && method.equals("POST")) {
            return throttle(query.get("count"));
        }
        if (parts.length == 2 && method.equals("GET")) {
            Optional<SesEmulator.Email> email = ses.email(parts[1]);
            return email.isEmpty() ? unknown() : json(200, view(email.get(), true));
        }
        if (parts.length == 3 && method.equals("POST") && (parts[2].equals("bounce") || parts[2].equals("complaint"))) {
            return feedback(parts[1], parts[2].equals("bounce") ? "BOUNCE" : "COMPLAINT");
        }
        return problem(404, "path: expected GET /_local/emails[?to=], GET /_local/emails/{id},"
                + " POST /_local/emails/{id}/bounce|complaint or POST /_local/emails/throttle?count=N");
    }

    private LocalResponse list(String to) {
        ObjectNode reply = Json.object();
        ArrayNode emails = reply.putArray("emails");
        for (SesEmulator.Email email : ses.emails(to == null || to.isEmpty() ? null : to)) {
            emails.add(view(email, false));
        }
        return json(200, reply);
    }

    private LocalResponse throttle(String count) {
        int n;
        try {
            n = Integer.parseInt(count == null ? "1" : count);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > MAX_THROTTLE) {
            return problem(400, "count: an integer from 0 to " + MAX_THROTTLE);
        }
        ses.throttle(n);
        LOG.info("ses_throttle_set", "count", n);
        return json(200, Json.object().put("throttled", n));
    }

    private LocalResponse feedback(String id, String eventType) {
        Optional<SesEmulator.Email> found = ses.email(id);
        if (found.isEmpty()) {
            return unknown();
        }
        SesEmulator.Email email = found.get();
        List<String> topics = ses.topicsFor(email, eventType);
        if (topics.isEmpty()) {
            return problem(409, "id: the email's configuration set "
                    + (email.configurationSet() == null ? "is none" : email.configurationSet())
                    + (email.configurationSet() == null ? "" : " has no enabled SNS event destination for " + eventType));
        }
        ObjectNode record = ses.eventRecord(email, eventType, clock.instant());
        String message = Json.write(record);
        ObjectNode reply = Json.object();
        reply.put("id", email.id());
        reply.put("event_type", record.path("eventType").asText());
        ArrayNode published = reply.putArray("published");
        for (String topic : topics) {
            String snsMessageId = sns.publish(b -> b.topicArn(topic).message(message)).messageId();
            published.addObject().put("topic_arn", topic).put("sns_message_id", snsMessageId);
        }
        LOG.info("ses_event_published", "message_id", email.id(), "event_type", eventType, "topics", topics.size());
        return json(200, reply);
    }

    private static ObjectNode view(SesEmulator.Email email, boolean withBodies) {
        ObjectNode node = Json.object();
        node.put("id", email.id());
        node.put("from", email.from());
        strings(node.putArray("to"), email.to());
        strings(node.putArray("cc"), email.cc());
        strings(node.putArray("bcc"), email.bcc());
        node.put("subject", email.subject());
        if (withBodies) {
            node.put("text", email.text());
            node.put("html", email.html());
        }
        node.put("configuration_set", email.configurationSet());
        ObjectNode tags = node.putObject("tags");
        email.tags().forEach(tags::put);
        node.put("sent_at", email.sentAt().toString());
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static LocalResponse unknown() {
        return problem(404, "id: no email with this id in the outbox");
    }

    private static LocalResponse json(int status, ObjectNode body) {
        return new LocalResponse(status, "application/json", Json.write(body));
    }

    private static LocalResponse problem(int status, String detail) {
        ObjectNode problem = Json.object();
        problem.put("type", "about:blank");
        problem.put("title", switch (status) {
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> "Invalid request";
        });
        problem.put("status", status);
        problem.put("detail", detail);
        return new LocalResponse(status, "application/problem+json", Json.write(problem));
    }
}
