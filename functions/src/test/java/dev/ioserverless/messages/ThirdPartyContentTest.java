package dev.ioserverless.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IO's third_party_data and our content.documents, as a request gives them and as they are stored. */
class ThirdPartyContentTest {
    static final String CF = "RSSMRA80A01H501U";
    static final String SUBJECT = "Verbale di accertamento";
    static final String MARKDOWN = "x".repeat(80);

    static String message(String extra) {
        return "{\"content\":{\"subject\":\"" + SUBJECT + "\",\"markdown\":\"" + MARKDOWN + "\"" + extra + "}}";
    }

    static String problem(String body) {
        return assertThrows(ProblemException.class, () -> NewMessage.parse(Json.read(body), CF)).problem().detail();
    }

    @Test
    void thirdPartyDataIsReadWithEveryField() {
        NewMessage parsed = NewMessage.parse(Json.read(message(",\"third_party_data\":{\"id\":\"IUN-1\","
                + "\"original_sender\":\"Comune\",\"original_receipt_date\":\"2026-01-02T03:04:05.000Z\","
                + "\"has_attachments\":true,\"has_remote_content\":true,\"has_precondition\":\"ONCE\","
                + "\"summary\":\"Verbale\",\"configuration_id\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"unknown\":1}")), CF);
        ThirdPartyData data = parsed.content().thirdPartyData();
        assertEquals(new ThirdPartyData("IUN-1", "Comune", Instant.parse("2026-01-02T03:04:05Z"), true, true,
                HasPrecondition.ONCE, "Verbale", "01ARZ3NDEKTSV4RRFFQ69G5FAV"), data);
        assertTrue(parsed.content().anonymousPush(), "a precondition makes every push anonymous");
        assertTrue(parsed.content().hasAttachments());
        MessageContent back = MessageContent.fromJson(parsed.content().toStoredJson());
        assertEquals(parsed.content(), back);
        assertFalse(parsed.content().toJson().toString().contains("unknown"));
    }

    @Test
    void everyBrokenRuleIsNamed() {
        String detail = problem(message(",\"third_party_data\":{\"has_precondition\":\"SOMETIMES\","
                + "\"configuration_id\":\"nope\",\"has_attachments\":\"yes\",\"summary\":\"\"}"));
        assertTrue(detail.contains("content.third_party_data.id: required"), detail);
        assertTrue(detail.contains("content.third_party_data.has_precondition: must be one of ALWAYS, ONCE, NEVER"), detail);
        assertTrue(detail.contains("content.third_party_data.configuration_id: must be a ULID"), detail);
        assertTrue(detail.contains("content.third_party_data.has_attachments: must be a boolean"), detail);
        assertTrue(detail.contains("content.third_party_data.summary: must be 1 to 1000 characters"), detail);
        assertTrue(problem(message(",\"third_party_data\":[]")).contains("content.third_party_data: must be an object"));
    }

    @Test
    void documentsAreOneToTenDistinctIdsAndNotWithThirdPartyData() {
        String id = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        NewMessage parsed = NewMessage.parse(Json.read(message(",\"documents\":[\"" + id + "\"]")), CF);
        assertEquals(List.of(id), parsed.content().documents().stream().map(HostedDocument::id).toList());
        assertNull(parsed.content().thirdPartyData(), "set by the platform at submission");
        assertTrue(problem(message(",\"documents\":[]")).contains("content.documents: must be an array of 1 to 10"));
        assertTrue(problem(message(",\"documents\":" + Json.write(java.util.Collections.nCopies(11, id))))
                .contains("content.documents: must be an array of 1 to 10"));
        assertTrue(problem(message(",\"documents\":[\"" + id + "\",\"" + id + "\"]")).contains("content.documents[1]"));
        assertTrue(problem(message(",\"documents\":[\"../x\"]")).contains("content.documents[0]"));
        assertTrue(problem(message(",\"documents\":[\"" + id + "\"],\"third_party_data\":{\"id\":\"x\"}"))
                .contains("content.documents: cannot be given with content.third_party_data"));
    }

    @Test
    void theStatusItemCarriesTheListFlagsAndAnonymity() {
        MessageContent content = new MessageContent(SUBJECT, MARKDOWN, null, null, false,
                new ThirdPartyData("x", null, null, true, true, HasPrecondition.ALWAYS, null, "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
                List.of());
        Message message = Message.accepted("01ARZ3NDEKTSV4RRFFQ69G5FAV", CF, "svc", Instant.parse("2026-01-01T00:00:00Z"),
                3600, FeatureLevelType.STANDARD, content);
        var item = DynamoMessageStore.statusItem(message);
        assertTrue(item.get("has_attachments").bool());
        assertEquals("GENERIC" + DynamoMessageStore.PRECONDITION_FLAG, item.get("category").s());
        assertTrue(item.get("require_secure_channels").bool());
        MessageContent plain = new MessageContent(SUBJECT, MARKDOWN, null, null, null);
        var plainItem = DynamoMessageStore.statusItem(Message.accepted("01ARZ3NDEKTSV4RRFFQ69G5FAW", CF, "svc",
                Instant.parse("2026-01-01T00:00:00Z"), 3600, FeatureLevelType.STANDARD, plain));
        assertEquals("GENERIC", plainItem.get("category").s());
        assertFalse(plainItem.get("has_attachments").bool());
        assertFalse(plainItem.get("require_secure_channels").bool());
    }
}
