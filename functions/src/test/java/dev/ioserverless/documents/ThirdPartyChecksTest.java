package dev.ioserverless.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.HasPrecondition;
import dev.ioserverless.messages.HostedDocument;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.ThirdPartyData;
import dev.ioserverless.services.Service;
import dev.ioserverless.services.TestServices;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The submission's checks of third-party data and documents, on in-memory stores. */
class ThirdPartyChecksTest {
    static final String SUBJECT = "Verbale di accertamento";
    static final String MARKDOWN = "x".repeat(80);
    final Service tari = TestServices.tari();
    final Map<String, RemoteContentConfiguration> configurations = new HashMap<>();
    final Map<String, DocumentRecord> documents = new HashMap<>();
    final Map<String, DocumentBucket.Stored> uploads = new HashMap<>();
    final List<String> kept = new ArrayList<>();
    final ThirdPartyChecks checks = new ThirdPartyChecks(new Configurations(), new Documents(), new Bucket(),
            Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    RemoteContentConfiguration configuration(String id, String serviceId, HasPrecondition precondition, Instant retired) {
        RemoteContentConfiguration c = new RemoteContentConfiguration(id, serviceId, "n", "d", precondition, List.of(), false,
                new RemoteContentConfiguration.Environment("https://x.example", "X-Key", "sealed", "API-KEY", List.of()),
                null, Instant.EPOCH, Instant.EPOCH, retired);
        configurations.put(id, c);
        return c;
    }

    static MessageContent remote(String configurationId, HasPrecondition precondition) {
        return new MessageContent(SUBJECT, MARKDOWN, null, null, null,
                new ThirdPartyData("IUN", null, null, true, true, precondition, null, configurationId), List.of());
    }

    static MessageContent hosted(String... ids) {
        return new MessageContent(SUBJECT, MARKDOWN, null, null, null, null,
                java.util.Arrays.stream(ids).map(id -> new HostedDocument(id, null, null, -1)).toList());
    }

    String detail(MessageContent content) {
        return assertThrows(ProblemException.class, () -> checks.check(tari, content)).problem().detail();
    }

    @Test
    void theConfigurationMustBeTheSendersOwnAndLive() {
        configuration("01ARZ3NDEKTSV4RRFFQ69G5FA1", tari.serviceId(), HasPrecondition.ALWAYS, null);
        configuration("01ARZ3NDEKTSV4RRFFQ69G5FA2", "another", HasPrecondition.NEVER, null);
        configuration("01ARZ3NDEKTSV4RRFFQ69G5FA3", tari.serviceId(), HasPrecondition.NEVER, Instant.EPOCH);
        MessageContent checked = checks.check(tari, remote("01ARZ3NDEKTSV4RRFFQ69G5FA1", null));
        assertEquals(HasPrecondition.ALWAYS, checked.thirdPartyData().hasPrecondition(), "the configuration's applies");
        assertEquals(HasPrecondition.NEVER, checks.check(tari, remote("01ARZ3NDEKTSV4RRFFQ69G5FA1", HasPrecondition.NEVER))
                .thirdPartyData().hasPrecondition(), "the message's own wins");
        for (String foreign : List.of("01ARZ3NDEKTSV4RRFFQ69G5FA2", "01ARZ3NDEKTSV4RRFFQ69G5FA3", "01ARZ3NDEKTSV4RRFFQ69G5FA4")) {
            assertTrue(detail(remote(foreign, null)).contains("content.third_party_data.configuration_id"), foreign);
        }
        // Without an id: the service's only live configuration.
        assertEquals("01ARZ3NDEKTSV4RRFFQ69G5FA1", checks.check(tari, remote(null, null)).thirdPartyData().configurationId());
        configuration("01ARZ3NDEKTSV4RRFFQ69G5FA5", tari.serviceId(), HasPrecondition.NEVER, null);
        assertTrue(detail(remote(null, null)).contains("several"));
    }

    DocumentRecord declare(String id, String serviceId, String type, long size) {
        DocumentRecord record = new DocumentRecord(id, serviceId, id + ".pdf", type, size, Instant.EPOCH,
                Instant.EPOCH.plus(Duration.ofMinutes(15)), null);
        documents.put(id, record);
        return record;
    }

    @Test
    void documentsMustBeUploadedAsDeclared() {
        declare("D1", tari.serviceId(), MediaTypes.PDF, 100);
        declare("D2", tari.serviceId(), MediaTypes.PDF, 100);
        declare("D3", tari.serviceId(), MediaTypes.PDF, 100);
        declare("D4", "another", MediaTypes.PDF, 100);
        uploads.put("D2", new DocumentBucket.Stored(99, MediaTypes.PDF, "%PDF-1.7".getBytes()));
        uploads.put("D3", new DocumentBucket.Stored(100, MediaTypes.PDF, "<html>".getBytes()));
        uploads.put("D4", new DocumentBucket.Stored(100, MediaTypes.PDF, "%PDF-1.7".getBytes()));
        String detail = detail(hosted("D1", "D2", "D3", "D4"));
        assertTrue(detail.contains("content.documents[0]: was never uploaded"), detail);
        assertTrue(detail.contains("content.documents[1]: the upload is not the declared size"), detail);
        assertTrue(detail.contains("content.documents[2]: the upload's first bytes do not match its declared type application/pdf"), detail);
        assertTrue(detail.contains("content.documents[3]: no such document of this service"), detail);
    }

    @Test
    void aCheckedDocumentIsKeptAndAttachedToOneMessageOnly() {
        declare("D1", tari.serviceId(), MediaTypes.PDF, 100);
        uploads.put("D1", new DocumentBucket.Stored(100, MediaTypes.PDF, "%PDF-1.7".getBytes()));
        MessageContent checked = checks.check(tari, hosted("D1"));
        assertEquals(List.of(new HostedDocument("D1", "D1.pdf", MediaTypes.PDF, 100)), checked.documents());
        MessageContent attached = checks.attach("M1", checked);
        assertEquals(ThirdPartyData.hosted("M1"), attached.thirdPartyData());
        assertEquals(List.of("D1"), kept);
        assertEquals("M1", documents.get("D1").messageId());
        checks.attach("M1", checks.check(tari, hosted("D1")));   // a retry of the same submission
        ProblemException other = assertThrows(ProblemException.class, () -> checks.attach("M2", checks.check(tari, hosted("D1"))));
        assertTrue(other.problem().detail().contains("content.documents[0]: already in another message"));
    }

    @Test
    void theChecksAreBuiltOnlyForAMessageThatNeedsThem() {
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        var lazy = dev.ioserverless.documents.Documents.onFirstUse(() -> {
            built.incrementAndGet();
            return checks;
        });
        MessageContent plain = new MessageContent(SUBJECT, MARKDOWN, null, null, null);
        assertEquals(plain, lazy.attach("M1", lazy.check(tari, plain)));
        assertEquals(0, built.get(), "a plain message builds nothing");
        configuration("01ARZ3NDEKTSV4RRFFQ69G5FA1", tari.serviceId(), HasPrecondition.NEVER, null);
        lazy.check(tari, remote("01ARZ3NDEKTSV4RRFFQ69G5FA1", null));
        lazy.check(tari, remote("01ARZ3NDEKTSV4RRFFQ69G5FA1", null));
        assertEquals(1, built.get(), "built once, at the first message with third-party data");
    }

    final class Configurations implements ConfigurationStore {
        public void create(RemoteContentConfiguration c) {
            configurations.put(c.id(), c);
        }

        public boolean replace(RemoteContentConfiguration c) {
            return configurations.replace(c.id(), c) != null;
        }

        public boolean retire(String serviceId, String id, Instant at) {
            return false;
        }

        public Optional<RemoteContentConfiguration> find(String id) {
            return Optional.ofNullable(configurations.get(id));
        }

        public List<RemoteContentConfiguration> ofService(String serviceId) {
            return configurations.values().stream().filter(c -> c.serviceId().equals(serviceId) && !c.retired())
                    .sorted(java.util.Comparator.comparing(RemoteContentConfiguration::id)).toList();
        }
    }

    final class Documents implements DocumentStore {
        public void create(DocumentRecord d) {
            documents.put(d.id(), d);
        }

        public Optional<DocumentRecord> find(String id) {
            return Optional.ofNullable(documents.get(id));
        }

        public boolean attach(String id, String messageId, Instant at) {
            DocumentRecord d = documents.get(id);
            if (d == null || (d.messageId() != null && !d.messageId().equals(messageId))) {
                return false;
            }
            documents.put(id, new DocumentRecord(d.id(), d.serviceId(), d.name(), d.contentType(), d.size(), d.createdAt(),
                    d.uploadExpiresAt(), messageId));
            return true;
        }
    }

    final class Bucket implements DocumentBucket {
        public URI uploadUrl(String id, String contentType, long size, Duration validity) {
            return URI.create("https://upload.example/" + id);
        }

        public Optional<Stored> upload(String id) {
            return Optional.ofNullable(uploads.get(id));
        }

        public boolean kept(String id) {
            return kept.contains(id);
        }

        public void keep(String id) {
            if (!kept.contains(id)) {
                kept.add(id);
            }
            uploads.remove(id);
        }

        public byte[] read(String id) {
            return new byte[0];
        }

        public URI downloadUrl(String id, String contentType, String name, Duration validity) {
            return URI.create("https://download.example/" + id);
        }
    }
}
