package dev.ioserverless.email;

/** Sends one email; the SES adapter in AWS. */
public interface EmailSender {

    /** SES refused the send for now (throttling, a sending quota): nothing went out. */
    final class ThrottledException extends RuntimeException {
        public ThrottledException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param messageId tags the email, so bounces and complaints name the message
     * @return SES's message id
     * @throws ThrottledException when SES refused it for now
     */
    String send(String to, MessageEmail.Content content, String messageId);
}
