package dev.ioserverless.messages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link MessageCreatedQueue} that keeps what was sent; it can be told to fail. */
public final class RecordingQueue implements MessageCreatedQueue {
    public final List<MessageCreated> sent = Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failWith;

    @Override
    public void send(MessageCreated notice) {
        if (failWith != null) {
            throw failWith;
        }
        sent.add(notice);
    }
}
