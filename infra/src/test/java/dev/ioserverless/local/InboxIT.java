package dev.ioserverless.local;

import static dev.ioserverless.local.TestData.MARKDOWN;
import static dev.ioserverless.local.TestData.SUBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.local.TestData.TestService;
import dev.ioserverless.local.openapi.OpenApiContract;
import dev.ioserverless.messages.FeatureLevelType;
import dev.ioserverless.messages.Message;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.MessageStatus;
import dev.ioserverless.services.ServiceGroup;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The citizen's inbox through the citizen API: the list and its pages, one message, read and
 * archive, each citizen's own messages only. Messages arrive through the Services API and the
 * real processing; every answer is checked against openapi-citizen.yaml.
 */
class InboxIT {
    private static final OpenApiContract SPEC = OpenApiContract.load(Path.of("..", "openapi-citizen.yaml"));
    private static final String NOTICE = "302000100000019421";
    private static final String PAYMENT = "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN
            + "\",\"due_date\":\"2026-12-31T23:59:59.000Z\",\"payment_data\":{\"amount\":12050,\"notice_number\":\"" + NOTICE + "\"}}}";

    static HttpResponse<String> citizenGet(String token, String pathAndQuery) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                URI.create(TestPlatform.get().citizenApiBaseUrl() + pathAndQuery)).header("Authorization", "Bearer " + token).GET());
        SPEC.assertConforms(response);
        return response;
    }

    static HttpResponse<String> putStatus(String token, String id, String body) {
        HttpResponse<String> response = TestPlatform.send(HttpRequest.newBuilder(
                        URI.create(TestPlatform.get().citizenApiBaseUrl() + "/messages/" + id + "/message-status"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        SPEC.assertConforms(response);
        return response;
    }

    static JsonNode page(String token, String query) {
        HttpResponse<String> response = citizenGet(token, "/messages" + query);
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    /** Sends {@code count} messages and waits until each one is PROCESSED; their ids, oldest first. */
    static List<String> deliver(TestService service, String citizen, int count, String body) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = TestData.post(service.primaryKey(), "/api/v1/messages/" + citizen, body);
            assertEquals(201, response.statusCode(), response.body());
            sent.add(Json.read(response.body()).path("id").asText());
        }
        for (String id : sent) {
            awaitStatus(service, citizen, id, "PROCESSED");
        }
        return sent.stream().sorted().toList();
    }

    static void awaitStatus(TestService service, String citizen, String id, String status) {
        TestPlatform.await(() -> status.equals(Json.read(TestData.get(service.primaryKey(),
                "/api/v2/messages/" + citizen + "/" + id).body()).path("status").asText()), Duration.ofSeconds(10), id + " " + status);
    }

    private static TestService sender() {
        return TestData.service(EnumSet.of(ServiceGroup.ApiMessageWrite, ServiceGroup.ApiMessageRead), Set.of(), List.of(),
                1_000_000, 10_000);
    }

    // ------------------------------------------------------------------ pages

    @Test
    void pagingBackThroughFourPagesWhileMessagesArriveHasNoGapAndNoRepeatAndPagingForwardCatchesUp() {
        TestService service = sender();
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        List<String> first = deliver(service, citizen, 7, TestData.newMessage());
        List<String> newestFirst = first.stream().sorted(Comparator.reverseOrder()).toList();

        List<String> seen = new ArrayList<>();
        List<String> arrived = new ArrayList<>();
        JsonNode page = page(token, "?page_size=2");
        String newestSeen = page.path("prev").asText();
        assertEquals(newestFirst.get(0), newestSeen, "prev is the newest id of the page");
        int pages = 1;
        while (true) {
            List<String> ids = ids(page);
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            // New messages arrive between two pages: they are newer than every page still to come.
            arrived.addAll(deliver(service, citizen, 1, TestData.newMessage()));
            if (!page.has("next")) {
                break;
            }
            assertEquals(ids.get(ids.size() - 1), page.path("next").asText(), "next is the last id of the page");
            page = page(token, "?page_size=2&maximum_id=" + page.path("next").asText());
            pages++;
        }
        assertEquals(4, pages);
        assertEquals(newestFirst, seen, "every message once, newest first, none of the newer ones");

        // Forward from the newest id the citizen had, one page at a time: exactly the ones that arrived.
        List<String> caughtUp = new ArrayList<>();
        String minimum = newestSeen;
        for (int guard = 0; guard < 10; guard++) {
            JsonNode newer = page(token, "?page_size=2&minimum_id=" + minimum);
            List<String> ids = ids(newer);
            if (ids.isEmpty()) {
                assertFalse(newer.has("prev"), "an empty page has no prev");
                break;
            }
            assertEquals(ids.stream().sorted(Comparator.reverseOrder()).toList(), ids, "newest first within the page");
            caughtUp.addAll(ids);
            minimum = newer.path("prev").asText();
        }
        assertEquals(new HashSet<>(arrived), new HashSet<>(caughtUp));
        assertEquals(arrived.size(), caughtUp.size(), "no repeat");

        // Both bounds: the messages strictly between.
        JsonNode between = page(token, "?maximum_id=" + newestFirst.get(1) + "&minimum_id=" + newestFirst.get(5));
        assertEquals(newestFirst.subList(2, 5), ids(between));
        assertFalse(between.has("next"));
    }

    @Test
    void plainItemsCarryIosFiveFieldsAndEnrichedOnesTheSenderTitleCategoryAndState() {
        TestService service = sender();
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String payment = deliver(service, citizen, 1, PAYMENT).get(0);
        String plain = deliver(service, citizen, 1, TestData.newMessage()).get(0);

        JsonNode list = page(token, "");
        assertEquals(List.of(plain, payment), ids(list));
        for (JsonNode item : list.path("items")) {
            assertEquals(Set.of("id", "fiscal_code", "time_to_live", "created_at", "sender_service_id"), MessageFlowIT.fieldNames(item));
            assertEquals(citizen, item.path("fiscal_code").asText());
            assertEquals(service.id(), item.path("sender_service_id").asText());
        }

        JsonNode enriched = page(token, "?enrich_result_data=true").path("items");
        JsonNode plainItem = enriched.get(0);
        JsonNode paymentItem = enriched.get(1);
        assertEquals(Set.of("id", "fiscal_code", "time_to_live", "created_at", "sender_service_id", "service_name",
                "organization_name", "organization_fiscal_code", "message_title", "category", "has_attachments",
                "has_precondition", "is_read", "is_archived"), MessageFlowIT.fieldNames(paymentItem));
        assertEquals("Test service", paymentItem.path("service_name").asText());
        assertEquals("Comune di Prova", paymentItem.path("organization_name").asText());
        assertEquals("01234567890", paymentItem.path("organization_fiscal_code").asText());
        assertEquals(SUBJECT, paymentItem.path("message_title").asText());
        assertEquals("PAYMENT", paymentItem.path("category").path("tag").asText());
        assertEquals("01234567890" + NOTICE, paymentItem.path("category").path("rptId").asText(), "payee then notice number");
        assertFalse(paymentItem.path("has_attachments").asBoolean());
        assertFalse(paymentItem.path("has_precondition").asBoolean());
        assertFalse(paymentItem.path("is_read").asBoolean());
        assertFalse(paymentItem.path("is_archived").asBoolean());
        assertEquals(Json.read("{\"tag\":\"GENERIC\"}"), plainItem.path("category"));
    }

    @Test
    void onlyProcessedMessagesAreListedOrReadable() {
        TestService service = sender();
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String delivered = deliver(service, citizen, 1, TestData.newMessage()).get(0);
        // A message still waiting to be processed (stored, never queued) and one the citizen refused.
        Message waiting = Message.accepted(Ulid.next(), citizen, service.id(), Instant.now(), 3600, FeatureLevelType.STANDARD,
                MessageContent.parse(Json.read(TestData.newMessage()).path("content")));
        TestData.messages().create(waiting);
        TestService refused = sender();
        TestData.preference(citizen, refused.id(), false);
        String rejected = Json.read(TestData.post(refused.primaryKey(), "/api/v1/messages/" + citizen, TestData.newMessage())
                .body()).path("id").asText();
        awaitStatus(refused, citizen, rejected, "REJECTED");

        assertEquals(List.of(delivered), ids(page(token, "")));
        assertEquals(List.of(), ids(page(token, "?archived=true")));
        for (String id : List.of(waiting.id(), rejected)) {
            AuthorizationIT.assertProblem(citizenGet(token, "/messages/" + id), 404, "id");
            AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"reading\",\"is_read\":true}"), 404, "id");
        }
        assertNull(TestData.messages().find(waiting.id()).orElseThrow().readAt(), "nothing written");
        assertEquals(MessageStatus.ACCEPTED, TestData.messages().find(waiting.id()).orElseThrow().status());
    }

    @Test
    void aCitizenNeverListsReadsOrChangesAnotherCitizensMessage() {
        TestService service = sender();
        String owner = TestData.citizen();
        String other = TestData.citizen();
        String id = deliver(service, owner, 1, TestData.newMessage()).get(0);
        String otherToken = CitizenApiIT.token(other);

        assertEquals(List.of(), ids(page(otherToken, "")));
        assertEquals(List.of(), ids(page(otherToken, "?archived=true&enrich_result_data=true")));
        AuthorizationIT.assertProblem(citizenGet(otherToken, "/messages/" + id), 404, "id");
        AuthorizationIT.assertProblem(putStatus(otherToken, id, "{\"change_type\":\"bulk\",\"is_read\":true,\"is_archived\":true}"),
                404, "id");
        Message untouched = TestData.messages().find(id).orElseThrow();
        assertNull(untouched.readAt());
        assertFalse(untouched.archived());
        assertEquals(List.of(id), ids(page(CitizenApiIT.token(owner), "")), "still in the owner's inbox");
    }

    // ------------------------------------------------------------------ one message

    @Test
    void aMessageIsReadWithItsContentPaymentDataAndEnrichment() {
        TestService service = sender();
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String id = deliver(service, citizen, 1, PAYMENT).get(0);

        for (String query : List.of("", "?public_message=true", "?public_message=false")) {
            HttpResponse<String> response = citizenGet(token, "/messages/" + id.toLowerCase() + query);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode message = Json.read(response.body());
            assertEquals(id, message.path("id").asText());
            assertEquals(citizen, message.path("fiscal_code").asText());
            assertEquals(SUBJECT, message.path("content").path("subject").asText());
            assertEquals(MARKDOWN, message.path("content").path("markdown").asText());
            assertEquals("2026-12-31T23:59:59.000Z", message.path("content").path("due_date").asText());
            JsonNode paymentData = message.path("content").path("payment_data");
            assertEquals(12050, paymentData.path("amount").asInt());
            assertEquals(NOTICE, paymentData.path("notice_number").asText());
            assertEquals("01234567890", paymentData.path("payee").path("fiscal_code").asText(), "the service's organization");
            assertEquals("Test service", message.path("service_name").asText());
            assertEquals(SUBJECT, message.path("message_title").asText());
            assertEquals("01234567890" + NOTICE, message.path("category").path("rptId").asText());
            assertFalse(message.path("is_read").asBoolean(), "reading a message is not marking it read");
            assertFalse(message.path("is_archived").asBoolean());
        }
    }

    // ------------------------------------------------------------------ read and archive

    @Test
    void readingOnlyEverMarksReadOnceAndArchivingMovesTheMessageBetweenFolders() {
        TestService service = sender();
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        List<String> ids = deliver(service, citizen, 2, TestData.newMessage());
        String id = ids.get(0);
        String other = ids.get(1);

        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"reading\",\"is_read\":false}"), 400, "is_read");
        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"bulk\",\"is_read\":false,\"is_archived\":true}"),
                400, "is_read");
        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"archiving\"}"), 400, "is_archived");
        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"archiving\",\"is_archived\":\"yes\"}"), 400, "is_archived");
        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"unread\"}"), 400, "change_type");
        AuthorizationIT.assertProblem(putStatus(token, id, "{\"change_type\":\"reading\",\"is_read\":true,\"is_archived\":true}"),
                400, "is_archived");
        AuthorizationIT.assertProblem(putStatus(token, "not-a-ulid", "{\"change_type\":\"reading\",\"is_read\":true}"), 400, "id");
        assertNull(TestData.messages().find(id).orElseThrow().readAt(), "no bad change wrote anything");

        HttpResponse<String> read = putStatus(token, id, "{\"change_type\":\"reading\",\"is_read\":true}");
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(Json.read("{\"is_read\":true,\"is_archived\":false}"), Json.read(read.body()));
        Instant firstRead = TestData.messages().find(id).orElseThrow().readAt();
        assertNotNull(firstRead);
        putStatus(token, id, "{\"change_type\":\"reading\",\"is_read\":true}");
        assertEquals(firstRead, TestData.messages().find(id).orElseThrow().readAt(), "the first read is the one recorded");

        HttpResponse<String> archived = putStatus(token, id, "{\"change_type\":\"archiving\",\"is_archived\":true}");
        assertEquals(Json.read("{\"is_read\":true,\"is_archived\":true}"), Json.read(archived.body()), "archiving keeps it read");
        assertEquals(List.of(other), ids(page(token, "")));
        JsonNode archive = page(token, "?archived=true&enrich_result_data=true");
        assertEquals(List.of(id), ids(archive));
        assertTrue(archive.path("items").get(0).path("is_archived").asBoolean());
        assertTrue(archive.path("items").get(0).path("is_read").asBoolean());

        HttpResponse<String> back = putStatus(token, id, "{\"change_type\":\"bulk\",\"is_archived\":false}");
        assertEquals(Json.read("{\"is_read\":true,\"is_archived\":false}"), Json.read(back.body()), "bulk without is_read keeps it read");
        assertEquals(List.of(other, id), ids(page(token, "")));
        assertEquals(List.of(), ids(page(token, "?archived=true")));

        HttpResponse<String> bulk = putStatus(token, other, "{\"change_type\":\"bulk\",\"is_read\":true,\"is_archived\":true}");
        assertEquals(Json.read("{\"is_read\":true,\"is_archived\":true}"), Json.read(bulk.body()));
        assertEquals(List.of(other), ids(page(token, "?archived=true")));
    }

    @Test
    void theFirstReadIsWhatTheSenderOfAnAdvancedMessageSeesUnlessTheCitizenDoesNotShareIt() {
        TestService service = TestData.service(AdvancedMessageIT.ADVANCED_READER, Set.of(), List.of(), 1_000_000, 10_000);
        String citizen = TestData.citizen();
        String token = CitizenApiIT.token(citizen);
        String advanced = "{\"feature_level_type\":\"ADVANCED\"," + TestData.newMessage().substring(1);
        String shared = deliver(service, citizen, 1, advanced).get(0);
        assertEquals("UNREAD", senderView(service, citizen, shared).path("read_status").asText());
        putStatus(token, shared, "{\"change_type\":\"reading\",\"is_read\":true}");
        assertEquals("READ", senderView(service, citizen, shared).path("read_status").asText());

        HttpResponse<String> optOut = CitizenApiIT.preference(token, service.id(), "{\"is_inbox_enabled\":true,"
                + "\"is_email_enabled\":true,\"is_webhook_enabled\":true,\"settings_version\":1,\"can_access_message_read_status\":false}");
        assertEquals(200, optOut.statusCode(), optOut.body());
        String hidden = deliver(service, citizen, 1, advanced).get(0);
        putStatus(token, hidden, "{\"change_type\":\"reading\",\"is_read\":true}");
        assertEquals("UNAVAILABLE", senderView(service, citizen, hidden).path("read_status").asText());
    }

    private static JsonNode senderView(TestService service, String citizen, String id) {
        HttpResponse<String> response = TestData.get(service.primaryKey(), "/api/v1/messages/" + citizen + "/" + id);
        assertEquals(200, response.statusCode(), response.body());
        return Json.read(response.body());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badParametersAre400sNamingTheParameter() {
        String token = CitizenApiIT.token(TestData.citizen());
        for (String[] bad : new String[][] {
                {"?page_size=0", "page_size"}, {"?page_size=101", "page_size"}, {"?page_size=ten", "page_size"},
                {"?enrich_result_data=yes", "enrich_result_data"}, {"?archived=1", "archived"},
                {"?maximum_id=01ARZ3NDEKTSV4RRFFQ69G5FA", "maximum_id"}, {"?minimum_id=01ARZ3NDEKTSV4RRFFQ69G5FAU", "minimum_id"}}) {
            AuthorizationIT.assertProblem(citizenGet(token, "/messages" + bad[0]), 400, bad[1]);
        }
        AuthorizationIT.assertProblem(citizenGet(token, "/messages/01ARZ3NDEKTSV4RRFFQ69G5FA"), 400, "id");
        AuthorizationIT.assertProblem(citizenGet(token, "/messages/" + Ulid.next() + "?public_message=maybe"), 400, "public_message");
        AuthorizationIT.assertProblem(citizenGet(token, "/messages/" + Ulid.next()), 404, "id");
    }
}
