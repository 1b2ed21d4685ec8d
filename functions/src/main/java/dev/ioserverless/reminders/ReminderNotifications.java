package dev.ioserverless.reminders;

import dev.ioserverless.push.PushNotification;
import java.time.Duration;
import java.util.Optional;

/**
 * The push of a payment reminder, under the rules of a message's push ({@link PushNotification}):
 * anonymous by default, fixed texts naming no service and showing no subject; a citizen who chose
 * {@code push_notifications_content_type: FULL} sees the sending service as the title and the
 * subject in the body, unless the message requires secure channels. Never the message's text.
 * The data is the message id and its deep link, so the app opens the message (and its notice).
 */
public final class ReminderNotifications {
    public static final String PAYMENT_TITLE = "Reminder: a notice is waiting to be paid";
    public static final String LAST_TITLE = "A notice to pay is due tomorrow";
    public static final String BODY = "Open the app to see the notice and pay it.";
    static final String PAYMENT_PREFIX = "Payment reminder: ";
    static final String LAST_PREFIX = "Due tomorrow: ";

    private ReminderNotifications() {
    }

    /**
     * @param anonymous the citizen did not choose FULL push content, or the message requires secure
     *     channels
     * @param senderName the sending service's display name, if known
     * @param subject the message's subject, if known
     * @param showFor how long the provider may still deliver it: until the sending hours end
     */
    public static PushNotification of(String messageId, Reminder reminder, boolean anonymous,
                                      Optional<String> senderName, Optional<String> subject, Duration showFor) {
        boolean last = reminder.kind() == ReminderKind.REMINDER_PAYMENT_LAST;
        String fixedTitle = last ? LAST_TITLE : PAYMENT_TITLE;
        if (anonymous) {
            return new PushNotification(messageId, fixedTitle, BODY, showFor);
        }
        String title = senderName.map(PushNotification::displayable).filter(n -> !n.isEmpty()).orElse(fixedTitle);
        String body = subject.map(PushNotification::displayable).filter(n -> !n.isEmpty())
                .map(s -> (last ? LAST_PREFIX : PAYMENT_PREFIX) + s)
                .orElse(title.equals(fixedTitle) ? BODY : fixedTitle);
        return new PushNotification(messageId, title, body, showFor);
    }
}
