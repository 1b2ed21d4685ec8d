package dev.ioserverless.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The push telling a citizen that a message arrived. It never carries the message's content: the
 * title and body are fixed texts, the data only the message id, which the app uses to open the
 * message once the citizen is signed in. For a message that requires secure channels it is fully
 * anonymous; otherwise the body may name the sending service.
 *
 * @param timeToLive how long the provider may keep trying to deliver it: what is left of the
 *     message's time to live
 */
public record PushNotification(String messageId, String title, String body, Duration timeToLive) {

    public static final String TITLE = "You have a new message";
    public static final String BODY = "Open the app to read it.";
    private static final int MAX_SENDER_NAME = 100;

    public PushNotification {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeToLive, "timeToLive");
    }

    /**
     * @param senderName the sending service's display name, if known
     * @param anonymous the message requires secure channels: name no service at all
     */
    public static PushNotification newMessage(
            String messageId, Optional<String> senderName, boolean anonymous, Duration timeToLive) {
        String body = BODY;
        if (!anonymous) {
            Optional<String> name = senderName.map(PushNotification::displayable).filter(n -> !n.isEmpty());
            if (name.isPresent()) {
                body = "From " + name.get() + ". " + BODY;
            }
        }
        return new PushNotification(messageId, TITLE, body, timeToLive);
    }

    /** Whole seconds left, at least 1 (0 means "now or never" to APNs and FCM). */
    public long timeToLiveSeconds() {
        return Math.max(1, timeToLive.getSeconds());
    }

    /**
     * The SNS {@code Message} for {@code MessageStructure=json}: one entry per platform SNS may pick
     * (APNS, APNS_SANDBOX, GCM) and the required {@code default}.
     */
    public String snsMessage() {
        ObjectNode message = Json.object();
        message.put("default", title + ". " + body);
        String apns = apnsPayload();
        message.put("APNS", apns);
        message.put("APNS_SANDBOX", apns);
        message.put("GCM", fcmPayload());
        return Json.write(message);
    }

    /** What APNs gets: an alert with title and body, and the message id beside {@code aps}. */
    public String apnsPayload() {
        ObjectNode payload = Json.object();
        ObjectNode aps = payload.putObject("aps");
        aps.putObject("alert").put("title", title).put("body", body);
        aps.put("sound", "default");
        payload.put("message_id", messageId);
        return Json.write(payload);
    }

    /** What FCM gets, in the FCM HTTP v1 form SNS takes under {@code fcmV1Message}; data values are strings. */
    public String fcmPayload() {
        ObjectNode root = Json.object();
        ObjectNode message = root.putObject("fcmV1Message").putObject("message");
        message.putObject("notification").put("title", title).put("body", body);
        message.putObject("data").put("message_id", messageId);
        message.putObject("android").put("priority", "high");
        return Json.write(root);
    }

    private static String displayable(String name) {
        String cleaned = name.replaceAll("\\p{Cntrl}", " ").strip();
        return cleaned.length() > MAX_SENDER_NAME ? cleaned.substring(0, MAX_SENDER_NAME).strip() : cleaned;
    }
}
