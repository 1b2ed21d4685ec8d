package dev.ioserverless.reminders;

import dev.ioserverless.common.Config;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.MutableClock;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.profiles.InMemoryProfileStore;
import dev.ioserverless.profiles.InMemoryServicePreferenceStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.push.FakePushEndpoints;
import dev.ioserverless.push.InMemoryInstallationStore;
import dev.ioserverless.push.InMemoryPushDeliveryLedger;
import dev.ioserverless.push.Installation;
import dev.ioserverless.push.Platform;
import dev.ioserverless.push.PushDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The payment reminders wired to in-memory fakes: a store, profiles, devices, SNS and the push ledger. */
final class ReminderFixture {
    static final String CITIZEN = "RSSMRA80A01H501U";
    static final String SERVICE = "01HSERVICE0000000000000001";
    static final String SERVICE_NAME = "Comune di Esempio - TARI";
    static final String SUBJECT = "Avviso di pagamento TARI 2027";
    static final String LOG_KEY = "test-log-hash-key-of-at-least-32-chars";

    final MutableClock clock = new MutableClock(Instant.parse("2027-01-01T09:00:00Z"));
    final InMemoryReminderStore store = new InMemoryReminderStore();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final InMemoryServicePreferenceStore preferences = new InMemoryServicePreferenceStore();
    final InMemoryInstallationStore installations = new InMemoryInstallationStore();
    final InMemoryPushDeliveryLedger ledger = new InMemoryPushDeliveryLedger();
    final FakePushEndpoints endpoints = new FakePushEndpoints();
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", LOG_KEY)));
    final PaymentReminders reminders = new PaymentReminders(store, profiles, preferences, installations,
            new PushDelivery(installations, ledger, endpoints, clock), serviceId -> serviceId.equals(SERVICE)
                    ? Optional.of(SERVICE_NAME) : Optional.empty());
    final PaymentRemindersHandler handler = new PaymentRemindersHandler(reminders, clock, log);

    /** A citizen with an enabled inbox in AUTO mode, reminders as given, pushes as chosen. */
    void citizen(String fiscalCode, String reminderStatus, String pushContent) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        profiles.save(new Profile(fiscalCode, true, 4, List.of("it_IT"), ServicePreferencesMode.AUTO, 1, Map.of(), t, t, 2,
                true, true, reminderStatus, pushContent));
    }

    Installation device(String fiscalCode, String installationId) {
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        String arn = endpoints.create(Platform.APNS, token);
        Installation installation = new Installation(fiscalCode, installationId, Platform.APNS, token, arn,
                clock.instant(), clock.instant());
        installations.save(installation);
        return installation;
    }

    /** A processed, unpaid ADVANCED payment message due {@code due}, in the index as submission puts it there. */
    String message(Instant due, Instant createdAt) {
        return message(due, createdAt, MessageStatus.PROCESSED, false);
    }

    String message(Instant due, Instant createdAt, MessageStatus status, boolean secure) {
        String id = Ulid.of(createdAt.toEpochMilli());
        Instant first = ReminderSchedule.firstDue(FeatureLevelType.ADVANCED, true, due, createdAt).orElseThrow();
        store.put(new PaymentReminderState(id, CITIZEN, SERVICE, status, FeatureLevelType.ADVANCED, true, due, null,
                secure, SUBJECT, List.of(), Timestamps.format(first), 0));
        return id;
    }

    PaymentReminders.RunResult run(Instant now) {
        return reminders.run(now, () -> true, result -> { });
    }

    List<FakePushEndpoints.Push> pushesTo(Installation device) {
        return endpoints.pushesTo(device.endpointArn());
    }
}
