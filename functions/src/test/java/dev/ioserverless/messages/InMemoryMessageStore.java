package dev.ioserverless.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MessageStore} in memory with the same conditional semantics as the DynamoDB one; it
 * records every call, in order, and can be told to fail.
 */
public final class InMemoryMessageStore implements MessageStore {
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final Map<String, List<dev.ioserverless.reminders.ReminderSlot>> reminders = new ConcurrentHashMap<>();
    private final Map<String, Instant> announced = new ConcurrentHashMap<>();
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failCreateWith;
    /** When set, creating a message it accepts fails (one item of a batch, for example). */
    public volatile java.util.function.Predicate<Message> failCreateIf;
    /** Fails this many of the next creations after writing the message: the answer lost, the write done. */
    public volatile int ambiguousCreates;
    public final List<String> settled = java.util.Collections.synchronizedList(new ArrayList<>());
    public volatile RuntimeException failTransitionWith;
    public volatile RuntimeException failFindWith;
    public volatile RuntimeException failMarkAnnouncedWith;
    /** Runs before a transition is evaluated: another writer changing the message meanwhile, for example. */
    public volatile java.util.function.Consumer<String> beforeTransition = id -> { };

    @Override
    public synchronized void create(Message message) {
        calls.add("create " + message.id());
        if (failCreateWith != null) {
            throw failCreateWith;
        }
        if (failCreateIf != null && failCreateIf.test(message)) {
            throw new IllegalStateException("table unavailable");
        }
        Message existing = messages.putIfAbsent(message.id(), message);
        if (existing != null && !(existing.fiscalCode().equals(message.fiscalCode())
                && existing.senderServiceId().equals(message.senderServiceId())
                && existing.content().equals(message.content()))) {
            throw new IllegalStateException("a message with id " + message.id() + " already exists");
        }
        if (ambiguousCreates > 0) {
            ambiguousCreates--;
            throw new IllegalStateException("the answer was lost");
        }
    }

    @Override
    public void settle(String id) {
        calls.add("settle " + id);
        settled.add(id);
    }

    @Override
    public Optional<Message> find(String id) {
        calls.add("find " + id);
        if (failFindWith != null) {
            throw failFindWith;
        }
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public Optional<MessageWithReminders> findWithReminders(String id) {
        return find(id).map(message -> new MessageWithReminders(message, reminders.getOrDefault(id, List.of())));
    }

    @Override
    public Optional<MessageHeader> findHeader(String id) {
        return find(id).map(message -> MessageHeader.of(message, announced.get(id)));
    }

    @Override
    public synchronized void markAnnounced(String id, Instant at) {
        calls.add("markAnnounced " + id);
        if (failMarkAnnouncedWith != null) {
            throw failMarkAnnouncedWith;
        }
        Message current = messages.get(id);
        if (current != null && current.status() == MessageStatus.PROCESSED) {
            announced.putIfAbsent(id, at);
        }
    }

    @Override
    public boolean awaitsAnnouncement(String id) {
        Message current = messages.get(id);
        return current != null && current.status() == MessageStatus.PROCESSED && !announced.containsKey(id);
    }

    /** When the message's event was recorded as published, if it was. */
    public Optional<Instant> announcedAt(String id) {
        return Optional.ofNullable(announced.get(id));
    }

    /** What the reminder function records as sent for a message. */
    public void putReminders(String id, List<dev.ioserverless.reminders.ReminderSlot> sent) {
        reminders.put(id, List.copyOf(sent));
    }

    @Override
    public synchronized StatusChange transition(String id, MessageStatus target, RejectionReason reason, Instant at) {
        calls.add("transition " + id + " " + target);
        MessageStatus.checkReason(target, reason);
        if (failTransitionWith != null) {
            throw failTransitionWith;
        }
        beforeTransition.accept(id);
        Message current = messages.get(id);
        if (current == null) {
            return StatusChange.NOT_FOUND;
        }
        StatusChange change = MessageStatus.evaluate(current.status(), current.rejectionReason(), target, reason);
        if (change == StatusChange.APPLIED) {
            messages.put(id, current.withStatus(target, reason, at));
        }
        return change;
    }

    /** Puts a message as is, bypassing the rules (test setup). */
    public void put(Message message) {
        messages.put(message.id(), message);
    }

    public Optional<Message> get(String id) {
        return Optional.ofNullable(messages.get(id));
    }

    public int size() {
        return messages.size();
    }
}
