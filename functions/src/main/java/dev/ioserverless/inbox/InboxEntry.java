package dev.ioserverless.inbox;

import java.time.Instant;

/**
 * One message as the citizen's list shows it: what the inbox index projects of a PROCESSED
 * message's status item, never its content.
 *
 * @param rptId the payment notice's identifier (payee fiscal code then notice number); null for
 *     a message without one
 * @param hasPrecondition the message opens behind a precondition (a third-party message's ALWAYS or ONCE)
 */
public record InboxEntry(
        String id,
        String fiscalCode,
        String senderServiceId,
        Instant createdAt,
        int timeToLive,
        String messageTitle,
        String rptId,
        boolean hasAttachments,
        boolean hasPrecondition,
        boolean isRead,
        boolean isArchived) {
}
