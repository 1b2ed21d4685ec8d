package dev.ioserverless.messages;

import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.Welcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The two messages a citizen gets from the platform's own service once they accept the terms of
 * service: a welcome, and how to turn on notifications; in Italian, or in English when the citizen
 * prefers it to Italian.
 *
 * <p>Each message's id is derived from the citizen (time of the profile's creation, randomness
 * from a hash of the fiscal code), so the messages are created at most once: a repeated call
 * finds them, and queues again only one still ACCEPTED (whose queueing may have failed), which
 * processing handles idempotently.
 */
public final class WelcomeMessages implements Welcome {
    static final int TIME_TO_LIVE = 604_800;
    private static final List<Text> ITALIAN = List.of(
            new Text("Benvenuto nella tua app dei servizi pubblici",
                    "Da oggi i messaggi degli enti pubblici che ti scrivono arrivano qui: avvisi, scadenze e "
                            + "pagamenti in un unico posto. Puoi scegliere in ogni momento quali servizi possono "
                            + "contattarti, dalla scheda di ciascun servizio."),
            new Text("Attiva le notifiche per non perdere le scadenze",
                    "Per sapere subito quando arriva un nuovo messaggio attiva le notifiche dell'app nelle "
                            + "impostazioni del telefono. Le notifiche non mostrano mai il contenuto dei messaggi, "
                            + "che leggi solo nell'app."));
    private static final List<Text> ENGLISH = List.of(
            new Text("Welcome to your public services app",
                    "From today, messages from the public bodies that write to you arrive here: notices, due "
                            + "dates and payments in one place. You can choose at any time which services may reach "
                            + "you, from each service's page."),
            new Text("Turn on notifications so you never miss a due date",
                    "To know as soon as a new message arrives, turn on the app's notifications in your phone's "
                            + "settings. Notifications never show what a message says: you read it only in the app."));

    private final MessageStore messages;
    private final MessageCreatedQueue queue;
    private final String serviceId;
    private final Clock clock;

    public WelcomeMessages(MessageStore messages, MessageCreatedQueue queue, String serviceId, Clock clock) {
        this.messages = messages;
        this.queue = queue;
        this.serviceId = serviceId;
        this.clock = clock;
    }

    /**
     * The welcome of a function whose template gives it {@code WELCOME_SERVICE_ID},
     * {@code MESSAGES_TABLE}, {@code MESSAGE_STATUS_TABLE} and {@code MESSAGE_CREATED_QUEUE_URL}; {@link Welcome#NONE} without
     * a welcome service.
     */
    public static Welcome fromConfig(Config config) {
        return config.find("WELCOME_SERVICE_ID").<Welcome>map(service -> new WelcomeMessages(
                DynamoMessageStore.fromConfig(config),
                new SqsMessageCreatedQueue(AwsClients.sqs(config), config.require("MESSAGE_CREATED_QUEUE_URL")),
                service, config.clock())).orElse(Welcome.NONE);
    }

    @Override
    public void ensureSent(Profile profile) {
        if (!profile.hasAcceptedTermsOfService()) {
            return;
        }
        List<Text> texts = texts(profile.preferredLanguages());
        for (int i = 0; i < texts.size(); i++) {
            String id = idOf(profile, i);
            Optional<Message> existing = messages.find(id);
            if (existing.isEmpty()) {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Text text = texts.get(i);
                Message message = Message.accepted(id, profile.fiscalCode(), serviceId, now, TIME_TO_LIVE,
                        FeatureLevelType.STANDARD, MessageContent.parse(Json.object()
                                .put("subject", text.subject()).put("markdown", text.markdown())));
                try {
                    messages.create(message);
                } catch (IllegalStateException alreadyThere) {
                    continue;   // a concurrent call created it, and queues it
                }
                queue.send(new MessageCreated(id));
            } else if (existing.get().status() == MessageStatus.ACCEPTED) {
                queue.send(new MessageCreated(id));
            }
        }
    }

    /** Italian unless the citizen lists English before Italian. */
    static List<Text> texts(List<String> preferredLanguages) {
        for (String language : preferredLanguages) {
            if (language.equals("it_IT")) {
                return ITALIAN;
            }
            if (language.equals("en_GB")) {
                return ENGLISH;
            }
        }
        return ITALIAN;
    }

    /** The same id for the same citizen and message, every time; the two in the order they are meant to be read. */
    static String idOf(Profile profile, int index) {
        byte[] randomness = HexFormat.of().parseHex(Hashing.sha256Hex("welcome#" + index + "#" + profile.fiscalCode()));
        return Ulid.of(profile.createdAt().toEpochMilli() + index, randomness);
    }

    record Text(String subject, String markdown) {
    }
}
