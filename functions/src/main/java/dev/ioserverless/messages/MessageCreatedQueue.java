package dev.ioserverless.messages;

/** The queue that hands accepted messages to processing. */
public interface MessageCreatedQueue {

    /** Enqueues the notice; throws if the queue did not take it. */
    void send(MessageCreated notice);
}
