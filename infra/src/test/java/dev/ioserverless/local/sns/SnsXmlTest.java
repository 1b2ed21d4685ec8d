package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SnsXmlTest {

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void escapesMarkupAndKeepsCarriageReturns() throws Exception {
        String tricky = "a<b>&\"c\"'d'\r\n\te\u0001f";
        String xml = SnsXml.result("GetSubscriptionAttributes").open("Attributes").entry("FilterPolicy", tricky)
                .close("Attributes").finish("req-1");
        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        assertEquals("GetSubscriptionAttributesResponse", root.getLocalName());
        assertEquals(SnsXml.NAMESPACE, root.getNamespaceURI());
        Element first = (Element) root.getFirstChild();
        assertEquals("GetSubscriptionAttributesResult", first.getLocalName(), "the SDK reads the first child");
        assertEquals("a<b>&\"c\"'d'\r\n\te\uFFFDf", doc.getElementsByTagName("value").item(0).getTextContent());
        assertEquals("FilterPolicy", doc.getElementsByTagName("key").item(0).getTextContent());
        assertEquals("req-1", doc.getElementsByTagName("RequestId").item(0).getTextContent());
    }

    @Test
    void skipsNullElements() {
        String xml = SnsXml.result("Publish").element("MessageId", "m").element("SequenceNumber", null).finish("r");
        assertEquals("<PublishResponse xmlns=\"" + SnsXml.NAMESPACE + "\"><PublishResult><MessageId>m</MessageId>"
                + "</PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>", xml);
    }

    @Test
    void emptyReplyHasOnlyMetadata() {
        assertEquals("<DeleteTopicResponse xmlns=\"" + SnsXml.NAMESPACE + "\"><ResponseMetadata><RequestId>r"
                + "</RequestId></ResponseMetadata></DeleteTopicResponse>", SnsXml.empty("DeleteTopic", "r"));
    }

    @Test
    void errorDocument() throws Exception {
        Document doc = parse(SnsXml.error(SnsException.notFound("Topic <x> does not exist"), "r-9"));
        assertEquals("ErrorResponse", doc.getDocumentElement().getLocalName());
        assertEquals(SnsXml.NAMESPACE, doc.getDocumentElement().getNamespaceURI());
        assertEquals("Sender", doc.getElementsByTagName("Type").item(0).getTextContent());
        assertEquals("NotFound", doc.getElementsByTagName("Code").item(0).getTextContent());
        assertEquals("Topic <x> does not exist", doc.getElementsByTagName("Message").item(0).getTextContent());
        assertEquals("r-9", doc.getElementsByTagName("RequestId").item(0).getTextContent());
        Document internal = parse(SnsXml.error(SnsException.internal(), "r"));
        assertEquals("Receiver", internal.getElementsByTagName("Type").item(0).getTextContent());
    }
}
