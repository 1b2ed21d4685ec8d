package dev.ioserverless.common;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a dead-letter consumer keeps each dead letter after recording what it means (a FAILED
 * status): the queue's archive, kept 14 days, from which an operator redrives them to the source
 * queue once the cause is fixed. Without it, marking FAILED would delete the only copy, and an
 * outage of a dependency would become a permanent non-delivery.
 */
public interface DeadLetterArchive {

    /** Keeps the dead letter's body; throws when it could not (the record is then retried). */
    void keep(String body);

    /** The archive queue of {@code queueUrl}, through SQS. */
    static DeadLetterArchive sqs(SqsClient sqs, String queueUrl) {
        return body -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }
}
