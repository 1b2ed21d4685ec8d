package dev.ioserverless.messages;

import dev.ioserverless.common.Failures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The queue that hands accepted messages to processing. */
public interface MessageCreatedQueue {

    /** Enqueues the notice; throws if the queue did not take it. */
    void send(MessageCreated notice);

    /**
     * Enqueues several notices, each on its own: some may be taken and others not.
     *
     * @return the notices not taken, by message id, each with a reason fit for logs (an error
     *     code or exception class, no data); empty when every notice was taken
     */
    default Map<String, String> sendAll(List<MessageCreated> notices) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (MessageCreated notice : notices) {
            try {
                send(notice);
            } catch (RuntimeException e) {
                failed.put(notice.messageId(), Failures.describe(e));
            }
        }
        return failed;
    }
}
