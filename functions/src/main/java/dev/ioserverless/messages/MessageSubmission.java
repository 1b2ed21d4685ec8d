package dev.ioserverless.messages;

import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceAuthenticator;
import dev.ioserverless.services.ServiceGroup;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accepting a message from a service: the permissions that depend on what the message says, then
 * storing it as ACCEPTED and queueing it for processing.
 */
public final class MessageSubmission {
    private final MessageStore messages;
    private final MessageCreatedQueue queue;
    private final Clock clock;

    /** The container's writers for batches: eight concurrent requests, daemon threads. */
    private static final class Writers {
        static final int WRITERS = 8;
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(WRITERS,
                runnable -> {
                    Thread thread = new Thread(runnable, "batch-writer");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public MessageSubmission(MessageStore messages, MessageCreatedQueue queue, Clock clock) {
        this.messages = messages;
        this.queue = queue;
        this.clock = clock;
    }

    /** A 403 unless the service may send messages at all (ApiMessageWrite or ApiLimitedMessageWrite). */
    public static void requireSendPermission(Service service) {
        ServiceAuthenticator.requireAnyGroup(service, ServiceGroup.ApiMessageWrite, ServiceGroup.ApiLimitedMessageWrite);
    }

    /**
     * Checks what the service may send, in this order: any recipient (ApiMessageWrite) or only
     * its authorized recipients (ApiLimitedMessageWrite), ADVANCED messages
     * (ApiMessageWriteAdvanced), a payee of its choice (ApiMessageWriteWithPayee), all 403; then
     * the payment amount against the service's {@code max_allowed_payment_amount}, a 400.
     */
    public static void authorize(Service service, NewMessage request) {
        requireSendPermission(service);
        if (!service.hasGroup(ServiceGroup.ApiMessageWrite) && !service.isAuthorizedRecipient(request.fiscalCode())) {
            throw new ProblemException(Problem.forbidden(
                    "fiscal_code: not among the service's authorized_recipients (group ApiLimitedMessageWrite)"));
        }
        if (request.featureLevelType() == FeatureLevelType.ADVANCED && !service.hasGroup(ServiceGroup.ApiMessageWriteAdvanced)) {
            throw new ProblemException(Problem.forbidden(
                    "feature_level_type: ADVANCED requires group ApiMessageWriteAdvanced"));
        }
        PaymentData payment = request.content().paymentData();
        if (payment == null) {
            return;
        }
        if (payment.hasPayee() && !service.hasGroup(ServiceGroup.ApiMessageWriteWithPayee)) {
            throw new ProblemException(Problem.forbidden(
                    "content.payment_data.payee: requires group ApiMessageWriteWithPayee"));
        }
        if (payment.amount() > service.maxAllowedPaymentAmount()) {
            throw new ProblemException(Problem.badRequest("content.payment_data.amount: exceeds the service's "
                    + "max_allowed_payment_amount (" + service.maxAllowedPaymentAmount() + " euro cents)"));
        }
    }

    /**
     * Authorizes, stores the message as ACCEPTED and queues it. A payment notice without a payee
     * gets the service's organization as payee.
     *
     * @throws ProblemException 403 or 400 from {@link #authorize}; nothing is written then
     * @throws NotQueuedException the message was stored but could not be queued; it has been
     *     marked FAILED (unless that write failed too) and the caller should answer 503
     */
    public Message submit(Service service, NewMessage request) {
        authorize(service, request);
        Message message = newMessage(service, request, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        messages.create(message);
        try {
            queue.send(new MessageCreated(message.id()));
        } catch (RuntimeException sendFailure) {
            boolean markedFailed;
            try {
                messages.transition(message.id(), MessageStatus.FAILED, null, clock.instant());
                markedFailed = true;
            } catch (RuntimeException markFailure) {
                sendFailure.addSuppressed(markFailure);
                markedFailed = false;
            }
            throw new NotQueuedException(message, markedFailed, sendFailure);
        }
        return message;
    }

    private static Message newMessage(Service service, NewMessage request, Instant now) {
        return Message.accepted(
                Ulid.of(now.toEpochMilli()),
                request.fiscalCode(),
                service.serviceId(),
                now,
                request.timeToLive(),
                request.featureLevelType(),
                request.content().withDefaultPayee(service.organizationFiscalCode()));
    }

    /**
     * What became of one message of {@link #submitAll}.
     *
     * @param message the message as built (its id is set even when it was not stored)
     * @param failure for logs, why it was not stored or not queued (an error code or exception class)
     */
    public record Outcome(Message message, Result result, String failure) {
        public enum Result {
            /** Stored as ACCEPTED and queued for processing. */
            QUEUED,
            /** Could not be stored; nothing was written. */
            NOT_STORED,
            /** Stored, not queued, and marked FAILED. */
            NOT_QUEUED_MARKED_FAILED,
            /** Stored, not queued, and still ACCEPTED (marking it FAILED failed too). */
            NOT_QUEUED
        }
    }

    /**
     * Stores several messages, each on its own, then queues the stored ones together
     * ({@link MessageCreatedQueue#sendAll}); one failing does not affect the others. A message
     * stored but not queued is marked FAILED, as in {@link #submit}.
     *
     * @return one outcome per request, in order
     * @throws ProblemException when a request fails {@link #authorize}; checked for every request
     *     before anything is written, so nothing is written then
     */
    public List<Outcome> submitAll(Service service, List<NewMessage> requests) {
        for (NewMessage request : requests) {
            authorize(service, request);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Outcome[] outcomes = new Outcome[requests.size()];
        List<MessageCreated> notices = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        Message[] built = new Message[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            built[i] = newMessage(service, requests.get(i), now);
        }
        // The writes of a full batch, WRITERS at a time rather than one after another: they wait on
        // DynamoDB, not on the CPU.
        List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < built.length; i++) {
            int index = i;
            writes.add(Writers.POOL.submit(() -> {
                try {
                    messages.create(built[index]);
                    outcomes[index] = new Outcome(built[index], Outcome.Result.QUEUED, null);
                } catch (RuntimeException e) {
                    outcomes[index] = new Outcome(built[index], Outcome.Result.NOT_STORED, Failures.describe(e));
                }
            }));
        }
        for (java.util.concurrent.Future<?> write : writes) {
            try {
                write.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing a batch", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("storing a batch", e.getCause());
            }
        }
        for (int i = 0; i < built.length; i++) {
            if (outcomes[i].result() == Outcome.Result.QUEUED) {
                notices.add(new MessageCreated(built[i].id()));
                positions.put(built[i].id(), i);
            }
        }
        Map<String, String> notQueued = notices.isEmpty() ? Map.of() : queue.sendAll(notices);
        notQueued.forEach((messageId, reason) -> {
            Integer position = positions.get(messageId);
            if (position == null) {
                return;
            }
            Message message = outcomes[position].message();
            Outcome.Result result;
            try {
                messages.transition(messageId, MessageStatus.FAILED, null, clock.instant());
                result = Outcome.Result.NOT_QUEUED_MARKED_FAILED;
            } catch (RuntimeException markFailure) {
                result = Outcome.Result.NOT_QUEUED;
            }
            outcomes[position] = new Outcome(message, result, reason);
        });
        return List.of(outcomes);
    }

    /** A message was stored but the queue did not take it. */
    public static final class NotQueuedException extends RuntimeException {
        private final transient Message message;
        private final boolean markedFailed;

        NotQueuedException(Message message, boolean markedFailed, Throwable cause) {
            super("message " + message.id() + " could not be queued", cause);
            this.message = message;
            this.markedFailed = markedFailed;
        }

        public Message message() {
            return message;
        }

        /** Whether the message's status was set to FAILED; if not, it is still ACCEPTED. */
        public boolean markedFailed() {
            return markedFailed;
        }
    }
}
