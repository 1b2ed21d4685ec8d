package dev.ioserverless.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import org.junit.jupiter.api.Test;

/** IO's three kinds of message status change, and what each may carry. */
class MessageStatusChangeTest {

    private static MessageStatusChange parse(String json) {
        return MessageStatusChange.parse(Json.read(json));
    }

    private static void assertRefused(String json, String field) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(json), json);
        assertEquals(400, e.problem().status());
        assertTrue(e.problem().detail().contains(field), e.problem().detail());
    }

    @Test
    void theThreeChangeTypes() {
        assertEquals(new MessageStatusChange(true, null), parse("{\"change_type\":\"reading\",\"is_read\":true}"));
        assertEquals(new MessageStatusChange(false, true), parse("{\"change_type\":\"archiving\",\"is_archived\":true}"));
        assertEquals(new MessageStatusChange(false, false), parse("{\"change_type\":\"archiving\",\"is_archived\":false}"));
        assertEquals(new MessageStatusChange(true, true), parse("{\"change_type\":\"bulk\",\"is_read\":true,\"is_archived\":true}"));
        assertEquals(new MessageStatusChange(false, false), parse("{\"change_type\":\"bulk\",\"is_archived\":false}"));
    }

    @Test
    void aMessageIsNeverMarkedUnread() {
        assertRefused("{\"change_type\":\"reading\",\"is_read\":false}", "is_read");
        assertRefused("{\"change_type\":\"bulk\",\"is_read\":false,\"is_archived\":true}", "is_read");
        assertRefused("{\"change_type\":\"reading\",\"is_read\":\"true\"}", "is_read");
    }

    @Test
    void eachChangeTypeRequiresItsFieldsAndNoOthers() {
        assertRefused("{}", "change_type");
        assertRefused("{\"change_type\":\"delete\"}", "change_type");
        assertRefused("{\"change_type\":7}", "change_type");
        assertRefused("{\"change_type\":\"reading\"}", "is_read");
        assertRefused("{\"change_type\":\"archiving\"}", "is_archived");
        assertRefused("{\"change_type\":\"bulk\",\"is_read\":true}", "is_archived");
        assertRefused("{\"change_type\":\"archiving\",\"is_archived\":1}", "is_archived");
        assertRefused("{\"change_type\":\"reading\",\"is_read\":true,\"is_archived\":true}", "is_archived");
        assertRefused("{\"change_type\":\"archiving\",\"is_archived\":true,\"is_read\":true}", "is_read");
        assertRefused("{\"change_type\":\"bulk\",\"is_archived\":true,\"colour\":\"red\"}", "colour");
    }
}
