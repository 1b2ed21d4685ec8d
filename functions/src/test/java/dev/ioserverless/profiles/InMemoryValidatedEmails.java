package dev.ioserverless.profiles;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ValidatedEmails} in memory, keyed by the canonical address as the table is by its hash. */
final class InMemoryValidatedEmails implements ValidatedEmails {
    final Map<String, String> holders = new ConcurrentHashMap<>();

    @Override
    public Optional<String> holder(String email) {
        return Optional.ofNullable(holders.get(EmailAddress.canonical(email)));
    }

    @Override
    public synchronized boolean claim(String email, String fiscalCode) {
        String holder = holders.putIfAbsent(EmailAddress.canonical(email), fiscalCode);
        return holder == null || holder.equals(fiscalCode);
    }

    @Override
    public synchronized void release(String email, String fiscalCode) {
        holders.remove(EmailAddress.canonical(email), fiscalCode);
    }
}
