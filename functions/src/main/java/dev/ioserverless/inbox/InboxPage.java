package dev.ioserverless.inbox;

import java.util.List;

/**
 * A page of the citizen's list, newest first.
 *
 * @param next the id to pass as {@code maximum_id} for the older messages after this page; null
 *     when there are none in the requested range
 * @param prev the id of the newest message of the page, to pass as {@code minimum_id} for newer
 *     messages; null for an empty page
 */
public record InboxPage(List<InboxEntry> items, String next, String prev) {
    public InboxPage {
        items = List.copyOf(items);
    }
}
