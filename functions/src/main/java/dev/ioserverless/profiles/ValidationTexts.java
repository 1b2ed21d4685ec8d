package dev.ioserverless.profiles;

import java.util.List;

/**
 * The words of the validation email and of the page its link opens, in Italian or English: the
 * profile's first preferred language when it is English, Italian otherwise (IO's default). Every
 * value put in HTML is escaped; the page loads nothing from anywhere.
 */
final class ValidationTexts {
    enum Language { IT, EN }

    /** The outcome a validation link's page tells. */
    enum Outcome { VALIDATED, TAKEN, USED, EXPIRED, INVALID, CHANGED, TOO_MANY, FAILED }

    private ValidationTexts() {
    }

    static Language languageOf(List<String> preferredLanguages) {
        return preferredLanguages != null && !preferredLanguages.isEmpty() && preferredLanguages.get(0).startsWith("en")
                ? Language.EN : Language.IT;
    }

    static ValidationMailer.ValidationEmail email(Language language, String to, String link) {
        boolean it = language == Language.IT;
        String subject = it ? "Conferma il tuo indirizzo email" : "Confirm your email address";
        String intro = it
                ? "Per confermare che questo indirizzo email è tuo e ricevere qui le comunicazioni dei servizi, apri questo link entro 30 minuti:"
                : "To confirm that this email address is yours and receive the services' communications here, open this link within 30 minutes:";
        String ignore = it
                ? "Se non hai chiesto tu questa conferma, ignora questa email: l'indirizzo non sarà confermato."
                : "If you did not ask for this, ignore this email: the address will not be confirmed.";
        String text = subject + "\n\n" + intro + "\n\n" + link + "\n\n" + ignore + "\n";
        String html = "<!DOCTYPE html><html lang=\"" + (it ? "it" : "en") + "\"><head><meta charset=\"utf-8\"><title>"
                + escape(subject) + "</title></head><body><h1>" + escape(subject) + "</h1><p>" + escape(intro)
                + "</p><p><a href=\"" + escape(link) + "\">" + escape(link) + "</a></p><p>" + escape(ignore)
                + "</p></body></html>";
        return new ValidationMailer.ValidationEmail(to, subject, text, html);
    }

    static String page(Language language, Outcome outcome) {
        boolean it = language == Language.IT;
        String[] words = switch (outcome) {
            case VALIDATED -> it
                    ? new String[] {"Indirizzo email confermato", "Grazie: il tuo indirizzo email è confermato. Puoi tornare all'app."}
                    : new String[] {"Email address confirmed", "Thank you: your email address is confirmed. You can go back to the app."};
            case TAKEN -> it
                    ? new String[] {"Indirizzo email già in uso", "Questo indirizzo email è già stato confermato da un'altra persona. Inserisci un altro indirizzo nell'app."}
                    : new String[] {"Email address already in use", "Someone else has already confirmed this email address. Enter another address in the app."};
            case USED -> it
                    ? new String[] {"Link già usato", "Questo link è già stato usato. Se l'indirizzo non risulta confermato, chiedi una nuova email dall'app."}
                    : new String[] {"Link already used", "This link has already been used. If the address is not confirmed, ask for a new email in the app."};
            case EXPIRED -> it
                    ? new String[] {"Link scaduto", "Questo link è scaduto. Chiedi una nuova email di conferma dall'app."}
                    : new String[] {"Link expired", "This link has expired. Ask for a new confirmation email in the app."};
            case INVALID -> it
                    ? new String[] {"Link non valido", "Questo link non è valido. Apri il link dell'email così com'è, oppure chiedi una nuova email dall'app."}
                    : new String[] {"Invalid link", "This link is not valid. Open the link in the email as it is, or ask for a new email in the app."};
            case CHANGED -> it
                    ? new String[] {"Indirizzo email cambiato", "L'indirizzo email del tuo profilo è cambiato dopo l'invio di questo link. Chiedi una nuova email dall'app."}
                    : new String[] {"Email address changed", "Your profile's email address changed after this link was sent. Ask for a new email in the app."};
            case TOO_MANY -> it
                    ? new String[] {"Troppi tentativi", "Troppi tentativi in poco tempo. Riprova tra un'ora."}
                    : new String[] {"Too many attempts", "Too many attempts in a short time. Try again in an hour."};
            case FAILED -> it
                    ? new String[] {"Servizio non disponibile", "Non è stato possibile confermare l'indirizzo ora. Riprova tra qualche minuto."}
                    : new String[] {"Service unavailable", "The address could not be confirmed now. Try again in a few minutes."};
        };
        return "<!DOCTYPE html><html lang=\"" + (it ? "it" : "en") + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(words[0])
                + "</title></head><body><main><h1>" + escape(words[0]) + "</h1><p>" + escape(words[1])
                + "</p></main></body></html>";
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
