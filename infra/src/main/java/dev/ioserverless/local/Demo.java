package dev.ioserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.payments.Receipt;
import dev.ioserverless.payments.ReceiptItems;
import dev.ioserverless.profiles.DynamoProfileStore;
import dev.ioserverless.push.DynamoInstallationStore;
import dev.ioserverless.push.InstallationRegistrar;
import dev.ioserverless.push.PushNotificationHandler;
import dev.ioserverless.profiles.Profile;
import dev.ioserverless.profiles.ServicePreferencesMode;
import dev.ioserverless.services.ApiKeySlot;
import dev.ioserverless.services.DynamoServiceStore;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.ServiceGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo a newcomer starts with: a municipality's TARI (waste tax) service with an API key, a
 * sandbox service limited to the demo citizen, and a citizen with a profile, accepted terms of
 * service, an enabled inbox, one registered phone and two receipts of TARI notices (one they paid,
 * one a relative paid for them). Written to {@code <state-dir>/demo.json}.
 */
public record Demo(String serviceId, String apiKey, String limitedServiceId, String limitedApiKey,
                   String citizenFiscalCode, String citizenDeviceToken, String paymentCallbackSecret) {

    public static final String SERVICE_ID = "demo-tari";
    public static final String LIMITED_SERVICE_ID = "demo-tari-sandbox";
    public static final String CITIZEN_FISCAL_CODE = "RSSMRA80A01H501U";
    /** The demo citizen's validated email address (the local SES keeps what is sent to it). */
    public static final String CITIZEN_EMAIL = "mario.rossi@example.org";
    static final String VALIDATE_EMAIL_FUNCTION = "ValidateProfileEmailFunction";
    public static final String ORGANIZATION_FISCAL_CODE = "01199250158";
    public static final String DEVICE_INSTALLATION_ID = "demo-iphone";
    static final String PAYMENT_CALLBACK_FUNCTION = "PaymentCallbackFunction";
    static final String PAYMENTS_API = "PaymentsApi";
    /** The receipt of the TARI notice the demo citizen paid themselves. */
    public static final String RECEIPT_ID = "demo-tari-2026-0001";
    /** The receipt of a TARI notice of the demo citizen's that a relative paid. */
    public static final String RELATIVES_RECEIPT_ID = "demo-tari-2026-0002";
    static final String RELATIVE_FISCAL_CODE = "RSSGNN55C12H501X";
    /** The demo service's remote-content configuration, served by the platform's demo body server. */
    public static final String REMOTE_CONTENT_CONFIGURATION_ID = "01JDEM0C0NF1G0000000000000";
    static final String CONFIGURATIONS_FUNCTION = "RemoteContentConfigurationsFunction";

    static Demo seed(LocalPlatform platform, Path stateDir, boolean persist) throws IOException {
        Path file = stateDir.resolve("demo.json");
        // Keys are stored only as hashes: a persisted platform reuses the clear keys it wrote last time.
        JsonNode previous = persist && Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : null;
        String apiKey = reuse(previous, "api_key");
        String limitedKey = reuse(previous, "limited_api_key");
        String deviceToken = reuse(previous, "citizen_device_token");
        String callbackSecret = reuse(previous, "payment_callback_secret");

        var dynamoDb = platform.dynamoDb();
        DynamoServiceStore services = new DynamoServiceStore(dynamoDb,
                platform.physicalName("ServicesTable"), platform.physicalName("ApiKeysTable"));
        services.save(new Service(SERVICE_ID, "TARI - Tassa sui rifiuti", "Servizi tributari",
                "Comune di Esempio", ORGANIZATION_FISCAL_CODE,
                EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead, ServiceGroup.ApiLimitedProfileRead,
                        ServiceGroup.ApiMessageWriteWithPayee, ServiceGroup.ApiMessageWriteAdvanced,
                        ServiceGroup.ApiMessageReadAdvanced),
                Set.of(), List.of(), 100_000_000L, Service.DEFAULT_RATE_LIMIT));
        services.saveApiKey(SERVICE_ID, ApiKeySlot.PRIMARY, apiKey);
        services.save(new Service(LIMITED_SERVICE_ID, "TARI - Sandbox", "Servizi tributari",
                "Comune di Esempio", ORGANIZATION_FISCAL_CODE,
                EnumSet.of(ServiceGroup.ApiLimitedMessageWrite),
                Set.of(CITIZEN_FISCAL_CODE), List.of(), 0L, Service.DEFAULT_RATE_LIMIT));
        services.saveApiKey(LIMITED_SERVICE_ID, ApiKeySlot.PRIMARY, limitedKey);

        // The platform's own service, which welcomes citizens (the template's WelcomeServiceId).
        String welcomeService = platform.functionConfig("UpdateProfileFunction").require("WELCOME_SERVICE_ID");
        services.save(new Service(welcomeService, "Benvenuto", "Servizi della piattaforma",
                "IO Serverless", ORGANIZATION_FISCAL_CODE, EnumSet.of(ServiceGroup.ApiMessageWrite),
                Set.of(), List.of(), 0L, Service.DEFAULT_RATE_LIMIT));

        DynamoProfileStore profiles = new DynamoProfileStore(dynamoDb, platform.physicalName("ProfilesTable"));
        if (profiles.find(CITIZEN_FISCAL_CODE).isEmpty()) {
            Instant now = Instant.now();
            profiles.save(new Profile(CITIZEN_FISCAL_CODE, true, 4, List.of("it_IT"),
                    ServicePreferencesMode.AUTO, 1, Map.of(), now, now, 1, true, true, null, null, CITIZEN_EMAIL, true));
        }
        // The demo citizen's address is validated, as if they had opened the link: their messages are emailed.
        if (platform.functionIds().contains(VALIDATE_EMAIL_FUNCTION)) {
            dev.ioserverless.profiles.ProfileEmails.validatedEmails(platform.toolConfig(VALIDATE_EMAIL_FUNCTION))
                    .claim(CITIZEN_EMAIL, CITIZEN_FISCAL_CODE);
        }

        // The demo citizen's phone: an iOS installation whose pushes show at /_local/push-deliveries.
        new InstallationRegistrar(
                new DynamoInstallationStore(dynamoDb, platform.physicalName("InstallationsTable")),
                PushNotificationHandler.pushEndpoints(platform.toolConfig("PushNotificationFunction")),
                Clock.systemUTC())
                .register(CITIZEN_FISCAL_CODE, DEVICE_INSTALLATION_ID, "apns", deviceToken);

        // The payment callback's signing secret, where a deployment keeps it: a SecureString parameter
        // named by the template (PaymentCallbackSecretParameter), one secret per line.
        if (platform.functionIds().contains(PAYMENT_CALLBACK_FUNCTION)) {
            platform.ssmEmulator().put(platform.functionConfig(PAYMENT_CALLBACK_FUNCTION)
                    .require("PAYMENT_CALLBACK_SECRET_PARAMETER"), "SecureString", callbackSecret);
        }
        seedReceipts(platform);
        seedRemoteContent(platform);

        Demo demo = new Demo(SERVICE_ID, apiKey, LIMITED_SERVICE_ID, limitedKey, CITIZEN_FISCAL_CODE, deviceToken,
                callbackSecret);
        demo.write(platform, file);
        return demo;
    }

    /**
     * The demo service's remote-content configuration, pointing at the platform's demo body server
     * with the key that server made at this start, sealed as the Services API seals it.
     */
    private static void seedRemoteContent(LocalPlatform platform) {
        if (!platform.functionIds().contains(CONFIGURATIONS_FUNCTION) || platform.remoteContent() == null) {
            return;
        }
        dev.ioserverless.common.Config config = platform.toolConfig(CONFIGURATIONS_FUNCTION);
        var store = dev.ioserverless.documents.Documents.configurations(config);
        var vault = dev.ioserverless.documents.Documents.keyVault(config);
        var server = platform.remoteContent();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String id = REMOTE_CONTENT_CONFIGURATION_ID;
        var configuration = new dev.ioserverless.documents.RemoteContentConfiguration(id, SERVICE_ID,
                "Avvisi e verbali", "Il server del Comune di Esempio per gli avvisi TARI e i verbali",
                dev.ioserverless.messages.HasPrecondition.NEVER, List.of(), false,
                new dev.ioserverless.documents.RemoteContentConfiguration.Environment(server.baseUrl().toString(),
                        server.headerName(), vault.seal(server.key(), dev.ioserverless.documents.KeyVault.context(id, "prod")),
                        "API-KEY", List.of()),
                null, now, now, null);
        if (store.find(id).isPresent()) {
            store.replace(configuration);
        } else {
            store.create(configuration);
        }
    }

    /**
     * The demo citizen's receipts, as the payment callback stores them (the receipt item and an
     * entry per citizen it concerns). Rewritten as they are at every start, so a persisted platform
     * keeps exactly these.
     */
    private static void seedReceipts(LocalPlatform platform) {
        String table = platform.physicalName("ReceiptsTable");
        List<Receipt> receipts = List.of(
                new Receipt(RECEIPT_ID, "302001000000004217", ORGANIZATION_FISCAL_CODE, 12_050,
                        Instant.parse("2026-11-15T09:30:00Z"), CITIZEN_FISCAL_CODE, CITIZEN_FISCAL_CODE,
                        "Comune di Esempio", "Banca Esempio", "card", 100L),
                new Receipt(RELATIVES_RECEIPT_ID, "302001000000004318", ORGANIZATION_FISCAL_CODE, 8_400,
                        Instant.parse("2026-11-20T17:05:00Z"), RELATIVE_FISCAL_CODE, CITIZEN_FISCAL_CODE,
                        "Comune di Esempio", "Poste Italiane", "PO", null));
        for (Receipt receipt : receipts) {
            platform.dynamoDb().putItem(b -> b.tableName(table)
                    .item(ReceiptItems.receiptItem(receipt, receipt.paidAt().plusSeconds(3))));
            for (var entry : ReceiptItems.citizenEntries(receipt)) {
                platform.dynamoDb().putItem(b -> b.tableName(table).item(entry));
            }
        }
    }

    private void write(LocalPlatform platform, Path file) throws IOException {
        ObjectNode json = Json.object();
        json.put("api_base_url", platform.apiBaseUrl().toString());
        if (platform.citizenApiBaseUrl() != null) {
            json.put("citizen_api_base_url", platform.citizenApiBaseUrl().toString());
        }
        if (platform.functionIds().contains(PAYMENT_CALLBACK_FUNCTION)) {
            json.put("payments_api_base_url", platform.apiBaseUrl(PAYMENTS_API).toString());
            json.put("payment_callback_secret", paymentCallbackSecret);
        }
        json.put("organization_fiscal_code", ORGANIZATION_FISCAL_CODE);
        json.put("service_id", serviceId);
        json.put("api_key", apiKey);
        json.put("limited_service_id", limitedServiceId);
        json.put("limited_api_key", limitedApiKey);
        json.put("citizen_fiscal_code", citizenFiscalCode);
        json.put("citizen_device_token", citizenDeviceToken);
        json.put("citizen_email", CITIZEN_EMAIL);
        json.put("receipt_event_id", RECEIPT_ID);
        json.put("region", LocalPlatform.REGION);
        json.put("dynamodb_endpoint", platform.dynamoDbEndpoint().toString());
        json.put("sqs_endpoint", platform.sqsEndpoint().toString());
        json.put("sns_endpoint", platform.snsEndpoint().toString());
        json.put("ssm_endpoint", platform.ssmEndpoint().toString());
        json.put("s3_endpoint", platform.s3Endpoint().toString());
        json.put("kms_endpoint", platform.kmsEndpoint().toString());
        json.put("ses_endpoint", platform.sesEndpoint().toString());
        json.put("remote_content_base_url", platform.remoteContent().baseUrl().toString());
        json.put("remote_content_configuration_id", REMOTE_CONTENT_CONFIGURATION_ID);
        Path tmp = file.resolveSibling("demo.json.tmp");
        Files.deleteIfExists(tmp);
        // It holds live keys and the callback secret: readable by its owner only (0600), from its creation on.
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String reuse(JsonNode previous, String field) {
        if (previous != null && previous.path(field).isTextual() && previous.path(field).asText().length() >= 32) {
            return previous.path(field).asText();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
