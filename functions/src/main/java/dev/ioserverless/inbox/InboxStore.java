package dev.ioserverless.inbox;

import java.time.Instant;
import java.util.Optional;

/** The citizen's side of the messages: the list of PROCESSED messages, read and archive. */
public interface InboxStore {
    int MAX_PAGE_SIZE = 100;

    /**
     * One page of the citizen's inbox or archive, newest first, from a key range of the inbox
     * index. {@code maximumId} and {@code minimumId} are exclusive bounds (null for none). With
     * only {@code minimumId}, the page is the {@code pageSize} messages just after it, so paging
     * forward by {@link InboxPage#prev()} leaves no gap however many messages arrived.
     */
    InboxPage page(String fiscalCode, boolean archived, String maximumId, String minimumId, int pageSize);

    /**
     * Applies the change to the citizen's PROCESSED message {@code id}: the first read records
     * {@code read_at} (later ones keep it), archiving moves its entry to the other folder.
     *
     * @return the message's read and archive state after the change; empty when the citizen has
     *     no PROCESSED message with that id (nothing is written then)
     */
    Optional<StatusAttributes> change(String fiscalCode, String id, MessageStatusChange change, Instant at);

    /** IO's {@code MessageStatusAttributes}. */
    record StatusAttributes(boolean isRead, boolean isArchived) {
    }
}
