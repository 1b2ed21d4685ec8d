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
    private dev.ioserverless.common.CrashPoints crash = dev.ioserverless.common.CrashPoints.none();
    private ThirdPartyContent thirdParty = ThirdPartyContent.REFUSED;

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

    /** Where a chaos run may make submission crash ({@link dev.ioserverless.common.CrashPoints#SUBMIT_AFTER_WRITE}). */
    public MessageSubmission withCrashPoints(dev.ioserverless.common.CrashPoints points) {
        this.crash = points;
        return this;
    }

    /** How third-party data and hosted documents are checked and attached ({@link ThirdPartyContent#REFUSED} by default). */
    public MessageSubmission withThirdPartyContent(ThirdPartyContent content) {
        this.thirdParty = content;
        return this;
    }

    /** The third-party checks of this submission, for handlers that judge requests one by one. */
    public ThirdPartyContent thirdParty() {
        return thirdParty;
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
     * Authorizes, stores the message as ACCEPTED (held in the outbox of {@link MessageStore#create})
     * and queues it. Once stored the message is accepted: if the queue does not take the notice
     * (or its answer is lost) the sweeper of pending messages queues it later, so the caller is
     * told 201 either way and never asked to submit again. A payment notice without a payee gets
     * the service's organization as payee.
     *
     * @param id the message's id: one reserved for the request's Idempotency-Key, so that a retry
     *     of a request whose answer was lost creates the same message; a new ULID without a key
     * @throws ProblemException 403 or 400 from {@link #authorize}, 400 from the third-party
     *     checks (a foreign configuration, a document not uploaded as declared); nothing is written then
     */
    public Accepted submit(Service service, NewMessage request, String id) {
        authorize(service, request);
        MessageContent checked = thirdParty.check(service, request.content());
        MessageContent attached = thirdParty.attach(id, checked);
        NewMessage resolved = new NewMessage(request.fiscalCode(), request.timeToLive(), request.featureLevelType(), attached);
        Message message = newMessage(service, resolved, id, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        messages.create(message);
        crash.reach(dev.ioserverless.common.CrashPoints.SUBMIT_AFTER_WRITE);
        try {
            queue.send(new MessageCreated(message.id()));
        } catch (RuntimeException sendFailure) {
            return new Accepted(message, Failures.describe(sendFailure));
        }
        return new Accepted(message, null);
    }

    /** A new message id for a request made at {@code now}. */
    public static String newId(Instant now) {
        return Ulid.of(now.toEpochMilli());
    }

    /**
     * A stored message.
     *
     * @param queueFailure null when the notice was queued; otherwise why not (for logs: an error
     *     code or exception class), and the sweeper queues it
     */
    public record Accepted(Message message, String queueFailure) {
        public boolean deferred() {
            return queueFailure != null;
        }
    }

    private static Message newMessage(Service service, NewMessage request, String id, Instant now) {
        return Message.accepted(
                id,
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
            /** Stored as ACCEPTED; the queue did not take it, and the sweeper of pending messages will. */
            DEFERRED,
            /** Could not be stored (nothing was written, or what was is completed by a retry with the same key). */
            NOT_STORED
        }
    }

    /**
     * Stores several messages, each on its own, then queues the stored ones together
     * ({@link MessageCreatedQueue#sendAll}); one failing does not affect the others. A message
     * stored but not queued is DEFERRED: accepted, and queued by the sweeper, as in {@link #submit}.
     *
     * @param ids one id per request, as {@link #submit}'s
     * @return one outcome per request, in order
     * @throws ProblemException when a request fails {@link #authorize}; checked for every request
     *     before anything is written, so nothing is written then
     */
    public List<Outcome> submitAll(Service service, List<NewMessage> requests, List<String> ids) {
        if (ids.size() != requests.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + requests.size() + " messages");
        }
        for (NewMessage request : requests) {
            authorize(service, request);
            if (!request.content().documents().isEmpty()) {
                throw new ProblemException(Problem.badRequest("content.documents: not accepted in a batch"));
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Outcome[] outcomes = new Outcome[requests.size()];
        List<MessageCreated> notices = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        Message[] built = new Message[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            built[i] = newMessage(service, requests.get(i), ids.get(i), now);
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
            if (position != null) {
                outcomes[position] = new Outcome(outcomes[position].message(), Outcome.Result.DEFERRED, reason);
            }
        });
        return List.of(outcomes);
    }
}
