package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryRequestTest {

    @Test
    void decodesFormEncodingAndPrefersBodyOverQueryString() {
        QueryRequest q = QueryRequest.parse("Action=ListTopics&Only=query",
                "Action=Publish&Message=a%20b+c%26d%3D%C3%BC&Empty=&Flag");
        assertEquals("Publish", q.get("Action"));
        assertEquals("query", q.get("Only"));
        assertEquals("a b c&d=ü", q.get("Message"));
        assertEquals("", q.get("Empty"));
        assertEquals("", q.get("Flag"));
        assertNull(q.get("Missing"));
    }

    @Test
    void requireRejectsMissingAndEmptyValues() {
        QueryRequest q = QueryRequest.parse(null, "Name=&Other=x");
        SnsException e = assertThrows(SnsException.class, () -> q.require("Name"));
        assertEquals("InvalidParameter", e.code());
        assertEquals(400, e.status());
        assertThrows(SnsException.class, () -> q.require("TopicArn"));
        assertEquals("x", q.require("Other"));
    }

    @Test
    void foldsFlattenedListsInIndexOrder() {
        QueryRequest q = QueryRequest.parse(null, String.join("&",
                "PublishBatchRequestEntries.member.10.Id=ten",
                "PublishBatchRequestEntries.member.2.Id=two",
                "PublishBatchRequestEntries.member.2.Message=second",
                "PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Name=kind",
                "PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.DataType=String",
                "PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.StringValue=k",
                "PublishBatchRequestEntries.member.1.Id=one",
                "PublishBatchRequestEntries.memberX.3.Id=ignored"));
        List<QueryRequest> members = q.indexed("PublishBatchRequestEntries.member");
        assertEquals(List.of("one", "two", "ten"), members.stream().map(m -> m.get("Id")).toList());
        QueryRequest second = members.get(1);
        assertEquals("second", second.get("Message"));
        List<QueryRequest> attributes = second.indexed("MessageAttributes.entry");
        assertEquals(1, attributes.size());
        assertEquals("kind", attributes.get(0).get("Name"));
        assertEquals("String", attributes.get(0).get("Value.DataType"));
        assertEquals("k", attributes.get(0).get("Value.StringValue"));
    }

    @Test
    void foldsFlattenedStringMaps() {
        QueryRequest q = QueryRequest.parse(null, String.join("&",
                "Attributes.entry.2.key=FilterPolicy", "Attributes.entry.2.value=%7B%7D",
                "Attributes.entry.1.key=RawMessageDelivery", "Attributes.entry.1.value=true"));
        assertEquals(Map.of("RawMessageDelivery", "true", "FilterPolicy", "{}"), q.stringMap("Attributes"));
        assertEquals(List.of("RawMessageDelivery", "FilterPolicy"), List.copyOf(q.stringMap("Attributes").keySet()));
        assertEquals(Map.of(), q.stringMap("Tags"));
        assertThrows(SnsException.class,
                () -> QueryRequest.parse(null, "Attributes.entry.1.value=x").stringMap("Attributes"));
    }

    @Test
    void malformedEncodingIsInvalidParameter() {
        SnsException e = assertThrows(SnsException.class, () -> QueryRequest.parse(null, "Message=%zz"));
        assertEquals("InvalidParameter", e.code());
    }
}
