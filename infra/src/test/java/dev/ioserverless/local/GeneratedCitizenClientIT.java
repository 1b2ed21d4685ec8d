package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.ioserverless.citizenclient.ApiClient;
import dev.ioserverless.citizenclient.ApiException;
import dev.ioserverless.citizenclient.api.InstallationsApi;
import dev.ioserverless.citizenclient.api.MessagesApi;
import dev.ioserverless.citizenclient.api.PreferencesApi;
import dev.ioserverless.citizenclient.api.ProfileApi;
import dev.ioserverless.citizenclient.api.ReceiptsApi;
import dev.ioserverless.citizenclient.model.CreatedMessageWithContentAndEnrichedData;
import dev.ioserverless.citizenclient.model.InitializedProfile;
import dev.ioserverless.citizenclient.model.Installation;
import dev.ioserverless.citizenclient.model.MessageCategory;
import dev.ioserverless.citizenclient.model.MessageStatusAttributes;
import dev.ioserverless.citizenclient.model.MessageStatusChange;
import dev.ioserverless.citizenclient.model.NoticeDetailResponse;
import dev.ioserverless.citizenclient.model.NoticeListItem;
import dev.ioserverless.citizenclient.model.NoticeListWrapResponse;
import dev.ioserverless.citizenclient.model.PaginatedPublicMessagesCollection;
import dev.ioserverless.citizenclient.model.Profile;
import dev.ioserverless.citizenclient.model.PublicMessage;
import dev.ioserverless.citizenclient.model.ServicePreference;
import dev.ioserverless.citizenclient.model.ServicePreferencesSettings;
import dev.ioserverless.citizenclient.model.UpsertServicePreference;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The citizen walkthrough driven by a Java client generated at build time from
 * openapi-citizen.yaml (openapi-generator, native library), which rejects any property the spec
 * does not declare: if the server and the spec drift apart, this test fails.
 */
class GeneratedCitizenClientIT {

    static ApiClient client(String fiscalCode) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(TestPlatform.get().apiBaseUrl("CitizenApi").toString());
        client.setObjectMapper(ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        String token = CitizenApiIT.token(fiscalCode);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    @Test
    void theWalkthroughThroughAGeneratedClient() throws ApiException {
        String citizen = FiscalCodes.random();
        ApiClient client = client(citizen);
        ProfileApi profiles = new ProfileApi(client);
        PreferencesApi preferences = new PreferencesApi(client);
        String service = TestPlatform.demoJson().path("service_id").asText();

        InitializedProfile before = profiles.getUserProfile();
        assertFalse(before.getHasProfile());
        assertEquals(0, before.getVersion());

        InitializedProfile created = profiles.updateProfile(new Profile().version(0).acceptedTosVersion(BigDecimal.valueOf(4))
                .preferredLanguages(List.of(dev.ioserverless.citizenclient.model.PreferredLanguage.IT_IT))
                .servicePreferencesSettings(new ServicePreferencesSettings().mode(ServicePreferencesSettings.ModeEnum.AUTO)));
        assertEquals(1, created.getVersion());
        assertTrue(created.getIsInboxEnabled());
        assertEquals(citizen, created.getFiscalCode());

        // A message from the demo service reaches the inbox; the citizen lists it, reads it, marks it read.
        String key = TestPlatform.demoJson().path("api_key").asText();
        String id = dev.ioserverless.common.Json.read(TestData.post(key, "/api/v1/messages/" + citizen, TestData.newMessage())
                .body()).path("id").asText();
        MessagesApi messages = new MessagesApi(client);
        TestPlatform.await(() -> {
            try {
                return messages.getUserMessages(10, false, false, null, null).getItems().stream()
                        .anyMatch(m -> m.getId().equals(id));
            } catch (ApiException e) {
                throw new AssertionError(e);
            }
        }, java.time.Duration.ofSeconds(10), "the message in the inbox");
        PaginatedPublicMessagesCollection inbox = messages.getUserMessages(10, true, false, null, null);
        PublicMessage listed = inbox.getItems().stream().filter(m -> m.getId().equals(id)).findFirst().orElseThrow();
        assertEquals(service, listed.getSenderServiceId());
        assertEquals(TestData.SUBJECT, listed.getMessageTitle());
        assertEquals(MessageCategory.TagEnum.GENERIC, listed.getCategory().getTag());
        assertFalse(listed.getIsRead());
        CreatedMessageWithContentAndEnrichedData message = messages.getUserMessage(id, true);
        assertEquals(TestData.MARKDOWN, message.getContent().getMarkdown());
        MessageStatusAttributes read = messages.upsertMessageStatusAttributes(id, new MessageStatusChange()
                .changeType(MessageStatusChange.ChangeTypeEnum.READING).isRead(MessageStatusChange.IsReadEnum.TRUE));
        assertTrue(read.getIsRead());
        assertFalse(read.getIsArchived());
        assertTrue(messages.getUserMessage(id, false).getIsRead());

        ServicePreference allowed = preferences.getServicePreferences(service);
        assertTrue(allowed.getIsInboxEnabled());
        ServicePreference optedOut = preferences.upsertServicePreferences(service, new UpsertServicePreference()
                .isInboxEnabled(false).isEmailEnabled(false).isWebhookEnabled(false).settingsVersion(allowed.getSettingsVersion()));
        assertFalse(optedOut.getIsInboxEnabled());
        assertFalse(preferences.getServicePreferences(service).getIsInboxEnabled());

        assertEquals("ok", new InstallationsApi(client).createOrUpdateInstallation("phone-" + java.util.UUID.randomUUID(),
                new Installation().platform(Installation.PlatformEnum.APNS).pushChannel(InstallationsIT.deviceToken())).getMessage());

        ApiException stale = assertThrows(ApiException.class, () -> profiles.updateProfile(new Profile().version(0)
                .servicePreferencesSettings(new ServicePreferencesSettings().mode(ServicePreferencesSettings.ModeEnum.MANUAL))));
        assertEquals(409, stale.getCode());
    }

    /** The demo citizen's receipts through the generated client: the list a page at a time, the detail, the PDF. */
    @Test
    void theReceiptsThroughAGeneratedClient() throws Exception {
        ReceiptsApi receipts = new ReceiptsApi(client(TestPlatform.demoJson().path("citizen_fiscal_code").asText()));
        var first = receipts.getPaidNoticesWithHttpInfo(1, null, null, null, null, null, null);
        NoticeListWrapResponse page = first.getData();
        assertEquals(1, page.getNotices().size());
        String token = first.getHeaders().get("x-continuation-token").get(0);
        NoticeListWrapResponse rest = receipts.getPaidNotices(10, null, token, null, null, null, null);
        List<String> ids = new java.util.ArrayList<>();
        for (NoticeListWrapResponse one : List.of(page, rest)) {
            one.getNotices().stream().map(NoticeListItem::getEventId).forEach(ids::add);
        }
        String paid = TestPlatform.demoJson().path("receipt_event_id").asText();
        assertTrue(ids.contains(paid), ids.toString());
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "each once");

        NoticeDetailResponse detail = receipts.getPaidNoticeDetail(paid);
        assertEquals(paid, detail.getInfoNotice().getRrn());
        assertEquals("120.50", detail.getInfoNotice().getAmount());
        assertEquals("codiceAvviso", detail.getCarts().get(0).getRefNumberType());
        java.io.File pdf = receipts.generatePDF(paid);
        assertEquals("%PDF-", new String(java.nio.file.Files.readAllBytes(pdf.toPath()), 0, 5,
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(404, assertThrows(ApiException.class, () -> receipts.getPaidNoticeDetail("no-such-receipt")).getCode());
    }
}
