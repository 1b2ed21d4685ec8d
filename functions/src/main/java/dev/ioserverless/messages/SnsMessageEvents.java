package dev.ioserverless.messages;

import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The message-events topic ({@code MESSAGE_EVENTS_TOPIC_ARN}). Each event is one SNS message whose
 * body is the event's JSON and whose String attribute {@code event_type} names the event, so
 * subscriptions can filter on it.
 */
public final class SnsMessageEvents implements MessageEvents {
    private final SnsClient sns;
    private final String topicArn;

    public SnsMessageEvents(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(MessageProcessedEvent event) {
        sns.publish(b -> b.topicArn(topicArn)
                .message(event.toJson())
                .messageAttributes(Map.of(MessageProcessedEvent.EVENT_TYPE_ATTRIBUTE, MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue(MessageProcessedEvent.EVENT_TYPE)
                        .build())));
    }
}
