package dev.ioserverless.documents;

import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.HostedDocument;
import dev.ioserverless.messages.MessageContent;
import dev.ioserverless.messages.ThirdPartyContent;
import dev.ioserverless.messages.ThirdPartyData;
import dev.ioserverless.services.Service;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The submission's checks of a message's third-party part ({@link ThirdPartyContent}):
 *
 * <ul>
 *   <li>{@code third_party_data.configuration_id} must name a live configuration of the sender
 *       (400 otherwise, the same for a foreign one as for none). Without one, the sender's only
 *       live configuration serves the message; with none or several, it is a 400. The
 *       configuration's {@code has_precondition} applies when the message gives none.
 *   <li>each of {@code documents} must have been declared by the sender, uploaded, and be what it
 *       was declared: the same length, and first bytes of the declared type (400 naming the
 *       document otherwise). A document goes into one message only.
 * </ul>
 *
 * Without a document store and bucket (the batch function) it checks remote content only.
 */
public final class ThirdPartyChecks implements ThirdPartyContent {
    private final ConfigurationStore configurations;
    private final DocumentStore documents;
    private final DocumentBucket bucket;
    private final Clock clock;

    public ThirdPartyChecks(ConfigurationStore configurations, DocumentStore documents, DocumentBucket bucket, Clock clock) {
        this.configurations = configurations;
        this.documents = documents;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public MessageContent check(Service service, MessageContent content) {
        if (content.thirdPartyData() != null) {
            return content.withThirdParty(resolve(service, content.thirdPartyData()), List.of());
        }
        if (content.documents().isEmpty()) {
            return content;
        }
        if (documents == null) {
            throw new ProblemException(Problem.badRequest("content.documents: not accepted here"));
        }
        List<HostedDocument> checked = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < content.documents().size(); i++) {
            String id = content.documents().get(i).id();
            String path = "content.documents[" + i + "]";
            DocumentRecord record = documents.find(id).filter(d -> d.serviceId().equals(service.serviceId())).orElse(null);
            if (record == null) {
                errors.add(path + ": no such document of this service");
                continue;
            }
            if (record.attached() && bucket.kept(id)) {
                checked.add(record.asHosted());   // already taken: attach() tells whether by this message
                continue;
            }
            var upload = bucket.upload(id);
            if (upload.isEmpty()) {
                errors.add(path + ": was never uploaded, or its upload expired");
            } else if (upload.get().size() != record.size()) {
                errors.add(path + ": the upload is not the declared size");
            } else if (!MediaTypes.detect(upload.get().head()).map(record.contentType()::equals).orElse(false)) {
                errors.add(path + ": the upload's first bytes do not match its declared type " + record.contentType());
            } else {
                checked.add(record.asHosted());
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return content.withThirdParty(ThirdPartyData.hosted(null), checked);
    }

    @Override
    public MessageContent attach(String messageId, MessageContent checked) {
        if (checked.documents().isEmpty()) {
            return checked;
        }
        // Refuse before moving anything: a document already in another message leaves the others as they are.
        for (int i = 0; i < checked.documents().size(); i++) {
            String other = documents.find(checked.documents().get(i).id()).map(DocumentRecord::messageId).orElse(null);
            if (other != null && !other.equals(messageId)) {
                throw new ProblemException(Problem.badRequest("content.documents[" + i + "]: already in another message"));
            }
        }
        for (int i = 0; i < checked.documents().size(); i++) {
            String id = checked.documents().get(i).id();
            bucket.keep(id);   // idempotent: a retry after a crash finds it kept
            if (!documents.attach(id, messageId, clock.instant())) {
                throw new ProblemException(Problem.badRequest("content.documents[" + i + "]: already in another message"));
            }
        }
        return checked.withThirdParty(ThirdPartyData.hosted(messageId), checked.documents());
    }

    private ThirdPartyData resolve(Service service, ThirdPartyData data) {
        String path = "content.third_party_data.configuration_id";
        RemoteContentConfiguration configuration;
        if (data.configurationId() != null) {
            configuration = configurations.find(data.configurationId())
                    .filter(c -> c.serviceId().equals(service.serviceId()) && !c.retired())
                    .orElseThrow(() -> new ProblemException(Problem.badRequest(
                            path + ": no such remote-content configuration of this service")));
        } else {
            List<RemoteContentConfiguration> own = configurations.ofService(service.serviceId());
            if (own.size() != 1) {
                throw new ProblemException(Problem.badRequest(path + ": required, since the service has "
                        + (own.isEmpty() ? "no" : "several") + " remote-content configurations"));
            }
            configuration = own.get(0);
        }
        return data.resolvedWith(configuration.id(), configuration.hasPrecondition());
    }
}
