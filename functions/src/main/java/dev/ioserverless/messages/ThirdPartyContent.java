package dev.ioserverless.messages;

import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.services.Service;

/**
 * What a message's third-party part needs at submission: its remote-content configuration must be
 * the sender's own and live, and the documents it names must have been uploaded by the sender,
 * with the bytes they were declared with. The documents capability implements it.
 */
public interface ThirdPartyContent {

    /**
     * Checks {@code content}'s third-party data and documents for a message of {@code service},
     * reading only. Answers the content as it will be stored: the configuration resolved (and its
     * precondition where the message named none), each document with its name, type and size.
     *
     * @throws ProblemException a 400 naming the field or document at fault
     */
    MessageContent check(Service service, MessageContent content);

    /**
     * Attaches the checked content's documents to the message {@code messageId} (they leave the
     * uploads, which expire, for the message's keeping), and answers the content with its
     * third-party data pointing at the message. Idempotent for the same message.
     */
    MessageContent attach(String messageId, MessageContent checked);

    /** For functions that take no third-party content: any is refused with a 400. */
    ThirdPartyContent REFUSED = new ThirdPartyContent() {
        @Override
        public MessageContent check(Service service, MessageContent content) {
            if (content.thirdPartyData() != null || !content.documents().isEmpty()) {
                throw new ProblemException(Problem.badRequest(
                        "content.third_party_data: third-party messages are not accepted here"));
            }
            return content;
        }

        @Override
        public MessageContent attach(String messageId, MessageContent checked) {
            return checked;
        }
    };
}
