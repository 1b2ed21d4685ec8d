package dev.ioserverless.messages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** A {@link MessageEvents} that keeps what was published; it can be told to fail or to observe. */
public final class RecordingEvents implements MessageEvents {
    public final List<MessageProcessedEvent> published = Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failWith;
    public volatile Consumer<MessageProcessedEvent> onPublish = event -> { };

    @Override
    public void publish(MessageProcessedEvent event) {
        onPublish.accept(event);
        if (failWith != null) {
            throw failWith;
        }
        published.add(event);
    }
}
