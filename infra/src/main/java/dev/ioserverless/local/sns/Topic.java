package dev.ioserverless.local.sns;

import java.util.Map;

/**
 * A topic. {@code attributes} holds the attributes set by CreateTopic and SetTopicAttributes; it is
 * a concurrent map because SetTopicAttributes changes it while publishers read it.
 */
record Topic(String arn, String name, Map<String, String> attributes) {

    boolean fifo() {
        return "true".equalsIgnoreCase(attributes.get("FifoTopic"));
    }

    boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
    }
}
