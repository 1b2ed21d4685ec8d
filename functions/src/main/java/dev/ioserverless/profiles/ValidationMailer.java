package dev.ioserverless.profiles;

/** Sends the email that asks a citizen to validate their address. */
public interface ValidationMailer {

    /** The message to send: one recipient, a subject, and the same words as text and as HTML. */
    record ValidationEmail(String to, String subject, String text, String html) {
    }

    /** Sends it; a failure is an exception (the citizen asks again). */
    void send(ValidationEmail email);
}
