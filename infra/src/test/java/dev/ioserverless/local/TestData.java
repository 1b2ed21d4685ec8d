package dev.ioserverless.local;

import dev.ioserverless.messages.DynamoMessageStore;
import dev.ioserverless.profiles.BlockedInboxOrChannel;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.profiles.DynamoServicePreferenceStore;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreference;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ApiKeySlot;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Seeds services, profiles and preferences through the real stores, and sends Services API requests. */
public final class TestData {
    public static final String SUBJECT = "Avviso di pagamento TARI 2026";
    public static final String MARKDOWN = "Gentile cittadino, è disponibile l'avviso di pagamento della TARI per l'anno 2026. "
            + "Puoi pagare entro la scadenza indicata.";

    private TestData() {
    }

    /** A service created for one test, with its two clear keys. */
    public record TestService(String id, String primaryKey, String secondaryKey) {
    }

    public static TestService service(Set<ServiceGroup> groups) {
        return service(groups, Set.of(), List.of(), 0, Service.DEFAULT_RATE_LIMIT);
    }

    public static TestService service(Set<ServiceGroup> groups, Set<String> authorizedRecipients, List<String> cidrs,
                                      long maxAllowedPaymentAmount, int rateLimit) {
        return service(TestPlatform.get(), groups, authorizedRecipients, cidrs, maxAllowedPaymentAmount, rateLimit);
    }

    /** A service of {@code platform} (a test's own platform rather than the shared one). */
    public static TestService service(LocalPlatform platform, Set<ServiceGroup> groups, Set<String> authorizedRecipients,
                                      List<String> cidrs, long maxAllowedPaymentAmount, int rateLimit) {
        String serviceId = "it-" + UUID.randomUUID();
        String primary = UUID.randomUUID().toString().replace("-", "");
        String secondary = UUID.randomUUID().toString().replace("-", "");
        DynamoServiceStore services = new DynamoServiceStore(platform.dynamoDb(),
                platform.physicalName("ServicesTable"), platform.physicalName("ApiKeysTable"));
        services.save(new Service(serviceId, "Test service", "Test department", "Comune di Prova", "01234567890",
                groups, authorizedRecipients, cidrs, maxAllowedPaymentAmount, rateLimit));
        Secrets.apiKey(primary);
        Secrets.apiKey(secondary);
        services.saveApiKey(serviceId, ApiKeySlot.PRIMARY, primary);
        services.saveApiKey(serviceId, ApiKeySlot.SECONDARY, secondary);
        return new TestService(serviceId, primary, secondary);
    }

    public static void profile(String fiscalCode, boolean inboxEnabled, ServicePreferencesMode mode,
                               Map<String, Set<BlockedInboxOrChannel>> blocked) {
        profile(TestPlatform.get(), fiscalCode, inboxEnabled, mode, blocked);
    }

    public static void profile(LocalPlatform platform, String fiscalCode, boolean inboxEnabled, ServicePreferencesMode mode,
                               Map<String, Set<BlockedInboxOrChannel>> blocked) {
        Secrets.fiscalCode(fiscalCode);
        Instant now = Instant.now();
        new DynamoProfileStore(platform.dynamoDb(), platform.physicalName("ProfilesTable"))
                .save(new Profile(fiscalCode, inboxEnabled, 4, List.of("it_IT"), mode,
                        mode == ServicePreferencesMode.LEGACY ? ServicePreferencesMode.LEGACY_VERSION : 1,
                        blocked, now, now, 1));
    }

    /** A citizen with an enabled inbox in AUTO mode, who accepts every service by default. */
    public static String citizen() {
        String fiscalCode = FiscalCodes.random();
        profile(fiscalCode, true, ServicePreferencesMode.AUTO, Map.of());
        return fiscalCode;
    }

    public static void preference(String fiscalCode, String serviceId, boolean inbox) {
        LocalPlatform platform = TestPlatform.get();
        new DynamoServicePreferenceStore(platform.dynamoDb(), platform.physicalName("ServicePreferencesTable"))
                .save(new ServicePreference(fiscalCode, serviceId, inbox, false, inbox, 1));
    }

    public static String newMessage() {
        Secrets.subject(SUBJECT);
        Secrets.markdown(MARKDOWN);
        return "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\"}}";
    }

    public static HttpResponse<String> post(String key, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestPlatform.url(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Ocp-Apim-Subscription-Key", key);
        }
        return TestPlatform.send(request);
    }

    public static HttpResponse<String> get(String key, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestPlatform.url(path)).GET();
        if (key != null) {
            request.header("Ocp-Apim-Subscription-Key", key);
        }
        return TestPlatform.send(request);
    }

    /** How many messages the store holds for a fiscal code. */
    public static long messagesFor(String fiscalCode) {
        return messageIdsFor(fiscalCode).size();
    }

    /** The ids of the messages stored for a fiscal code, oldest first (the content table's recipient index). */
    public static List<String> messageIdsFor(String fiscalCode) {
        LocalPlatform platform = TestPlatform.get();
        return platform.dynamoDb().query(b -> b.tableName(platform.physicalName("MessagesTable"))
                .indexName("by-recipient")
                .keyConditionExpression("fiscal_code = :f")
                .expressionAttributeValues(Map.of(":f", AttributeValue.fromS(fiscalCode)))).items().stream()
                .map(item -> item.get("id").s()).toList();
    }

    /** The platform's message store, as the functions build it. */
    public static DynamoMessageStore messages() {
        LocalPlatform platform = TestPlatform.get();
        return new DynamoMessageStore(platform.dynamoDb(), platform.physicalName("MessagesTable"),
                platform.physicalName("MessageStatusTable"));
    }
}
