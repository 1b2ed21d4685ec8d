package dev.ioserverless.email;

import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * {@link EmailSender} on the SESv2 {@code SendEmail} API, from {@code EMAIL_FROM_ADDRESS} with the
 * configuration set {@code EMAIL_CONFIGURATION_SET} (whose event destination carries bounces and
 * complaints back), the message id as the {@code message_id} tag.
 */
public final class SesEmailSender implements EmailSender {
    private final SesV2Client ses;
    private final String from;
    private final String configurationSet;

    public SesEmailSender(SesV2Client ses, String from, String configurationSet) {
        this.ses = ses;
        this.from = from;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(String to, MessageEmail.Content content, String messageId) {
        try {
            return ses.sendEmail(b -> b.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(to))
                    .configurationSetName(configurationSet)
                    .emailTags(t -> t.name("message_id").value(messageId))
                    .content(c -> c.simple(m -> m
                            .subject(x -> x.data(content.subject()).charset("UTF-8"))
                            .body(body -> body.text(x -> x.data(content.text()).charset("UTF-8"))
                                    .html(x -> x.data(content.html()).charset("UTF-8"))))))
                    .messageId();
        } catch (TooManyRequestsException | LimitExceededException | SendingPausedException e) {
            throw new ThrottledException(e.getClass().getSimpleName());
        }
    }
}
