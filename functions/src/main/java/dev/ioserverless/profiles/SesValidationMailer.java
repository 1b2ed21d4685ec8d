package dev.ioserverless.profiles;

import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;

/**
 * The validation email through SESv2 {@code SendEmail}, from {@code EMAIL_FROM_ADDRESS}, with the
 * configuration set {@code EMAIL_CONFIGURATION_SET} when one is named (its event destinations
 * bring bounces and complaints back).
 */
public final class SesValidationMailer implements ValidationMailer {
    private final SesV2Client ses;
    private final String fromAddress;
    private final String configurationSet;

    /** @param configurationSet null or empty for none */
    public SesValidationMailer(SesV2Client ses, String fromAddress, String configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    @Override
    public void send(ValidationEmail email) {
        ses.sendEmail(b -> {
            b.fromEmailAddress(fromAddress)
                    .destination(d -> d.toAddresses(email.to()))
                    .content(EmailContent.builder().simple(Message.builder()
                            .subject(utf8(email.subject()))
                            .body(Body.builder().text(utf8(email.text())).html(utf8(email.html())).build())
                            .build()).build());
            if (configurationSet != null) {
                b.configurationSetName(configurationSet);
            }
        });
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset("UTF-8").build();
    }
}
