package dev.ioserverless.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A third-party message's content as the body's server gave it, checked: the attachments, and
 * {@code details}, the free-form object of IO's {@code ThirdPartyMessage}, kept as the server sent
 * it, which holds at least a valid {@code subject} (10 to 120 characters) and {@code markdown}
 * (80 to 10,000 characters).
 *
 * @param attachments at most 100, in the server's order
 * @param details the server's {@code details} object, a copy owned by the caller
 */
public record ThirdPartyDetails(List<ThirdPartyAttachment> attachments, ObjectNode details) {
    public ThirdPartyDetails {
        attachments = List.copyOf(attachments);
    }

    /** The message's subject, from {@code details}. */
    public String subject() {
        return details.path("subject").asText();
    }

    /** The message's markdown, from {@code details}. */
    public String markdown() {
        return details.path("markdown").asText();
    }
}
