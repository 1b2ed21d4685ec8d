package dev.ioserverless.messages;

/** The message-events topic. */
public interface MessageEvents {

    /** Publishes the event; throws if the topic did not take it. */
    void publish(MessageProcessedEvent event);
}
