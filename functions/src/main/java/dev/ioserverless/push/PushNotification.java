package dev.ioserverless.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A push about a message: that it arrived ({@link #newMessage}), or a payment reminder (built by
 * the reminders with their own texts). By default it is anonymous: fixed title and body, and as
 * data the message id and the deep link to the message, which the app opens once the citizen is
 * signed in. A citizen who chose {@code push_notifications_content_type: FULL} gets the sending
 * service as the title and the subject as the body, as IO shows them, unless the message requires
 * secure channels. Never the message's text.
 *
 * <p>The deep link is {@link #deepLinkTo}: {@code ioit://messages/<message id>}, in the IO app's
 * {@code ioit://} scheme (where {@code ioit://messages} is the inbox) with the message's id as the
 * last segment. IO's own pushes carry only the message id; the link is our addition, beside it.
 *
 * @param timeToLive how long the provider may keep trying to deliver it: what is left of the
 *     message's time to live, or of the hours a reminder may be shown in
 */
public record PushNotification(String messageId, String title, String body, Duration timeToLive, String deepLink) {

    public static final String TITLE = "You have a new message";
    public static final String BODY = "Open the app to read it.";
    /** The IO app's URL scheme. */
    public static final String DEEP_LINK_PREFIX = "ioit://messages/";
    /** Longer names are cut: a notification's title has little room. */
    public static final int MAX_SENDER_NAME = 100;

    public PushNotification {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeToLive, "timeToLive");
        Objects.requireNonNull(deepLink, "deepLink");
    }

    /** A push that opens the message it is about. */
    public PushNotification(String messageId, String title, String body, Duration timeToLive) {
        this(messageId, title, body, timeToLive, deepLinkTo(messageId));
    }

    /** The app's link to a message: {@code ioit://messages/<id>}. */
    public static String deepLinkTo(String messageId) {
        return DEEP_LINK_PREFIX + messageId;
    }

    /**
     * @param senderName the sending service's display name, if known
     * @param subject the message's subject, if known
     * @param anonymous the citizen chose anonymous pushes, or the message requires secure
     *     channels: the fixed texts only, naming no service and showing no subject
     */
    public static PushNotification newMessage(
            String messageId, Optional<String> senderName, Optional<String> subject, boolean anonymous,
            Duration timeToLive) {
        if (anonymous) {
            return new PushNotification(messageId, TITLE, BODY, timeToLive);
        }
        String title = senderName.map(PushNotification::displayable).filter(n -> !n.isEmpty()).orElse(TITLE);
        String body = subject.map(PushNotification::displayable).filter(n -> !n.isEmpty()).orElse(BODY);
        return new PushNotification(messageId, title, body, timeToLive);
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

    /** What APNs gets: an alert with title and body, and the message id and deep link beside {@code aps}. */
    public String apnsPayload() {
        ObjectNode payload = Json.object();
        ObjectNode aps = payload.putObject("aps");
        aps.putObject("alert").put("title", title).put("body", body);
        aps.put("sound", "default");
        payload.put("message_id", messageId);
        payload.put("deep_link", deepLink);
        return Json.write(payload);
    }

    /** What FCM gets, in the FCM HTTP v1 form SNS takes under {@code fcmV1Message}; data values are strings. */
    public String fcmPayload() {
        ObjectNode root = Json.object();
        ObjectNode message = root.putObject("fcmV1Message").putObject("message");
        message.putObject("notification").put("title", title).put("body", body);
        message.putObject("data").put("message_id", messageId).put("deep_link", deepLink);
        message.putObject("android").put("priority", "high");
        return Json.write(root);
    }

    /** A name or subject fit for a notification: control characters become spaces, at most {@link #MAX_SENDER_NAME} characters. */
    public static String displayable(String name) {
        String cleaned = name.replaceAll("\\p{Cntrl}", " ").strip();
        return cleaned.length() > MAX_SENDER_NAME ? cleaned.substring(0, MAX_SENDER_NAME).strip() : cleaned;
    }
}
