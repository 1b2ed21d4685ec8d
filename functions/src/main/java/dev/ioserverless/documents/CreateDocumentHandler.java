package dev.ioserverless.documents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Priming;
import dev.ioserverless.common.Timestamps;
import dev.ioserverless.common.Ulid;
import dev.ioserverless.services.ApiOperation;
import dev.ioserverless.services.ApiRequest;
import dev.ioserverless.services.ApiResponse;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.ServicesApi;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/documents}, our extension for bodies without a server of their own: the
 * service declares a document ({@link DocumentRequest}) and gets 201
 * {@code {"document_id", "upload_url", "expires_at"}}. {@code upload_url} is a presigned S3 PUT,
 * valid for {@link #UPLOAD_VALIDITY}, that S3 honours only with exactly the declared
 * {@code Content-Type} and {@code Content-Length}. The message then names the document in
 * {@code content.documents}; submission checks the upload's bytes. An upload no message takes
 * expires with the bucket's lifecycle rule. Honours an Idempotency-Key (the same id and URL
 * again). The caller needs ApiMessageWrite: a limited service, which may write only to its authorized recipients, cannot.
 */
public final class CreateDocumentHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Priming.Primed {
    public static final Duration UPLOAD_VALIDITY = Duration.ofMinutes(15);
    private final ServicesApi api;
    private final DocumentStore documents;
    private final DocumentBucket bucket;
    private final Clock clock;
    private final Log log;
    private final ApiOperation operation = new Operation();
    private Priming priming = Priming.none();

    public CreateDocumentHandler() {
        this(Config.fromEnvironment());
    }

    public CreateDocumentHandler(Config config) {
        this(config, new Log("CreateDocument", config));
    }

    private CreateDocumentHandler(Config config, Log log) {
        this(ServicesApi.fromConfig(config, log, true), Documents.documents(config), Documents.bucket(config),
                config.clock(), log);
        priming = new Priming(log, List.of(
                Priming.json("{\"name\":\"notice.pdf\",\"content_type\":\"application/pdf\",\"size\":1}"),
                Priming.dynamoDb(AwsClients.dynamoDb(config), config.require("API_KEYS_TABLE"), "key_hash"),
                Priming.http(() -> handleRequest(Priming.request("POST /api/v1/documents", "/api/v1/documents",
                        Map.of(), Map.of(), "{\"name\":\"notice.pdf\",\"content_type\":\"application/pdf\",\"size\":1}"),
                        null), 401)))
                .register();
    }

    public CreateDocumentHandler(ServicesApi api, DocumentStore documents, DocumentBucket bucket, Clock clock, Log log) {
        this.api = api;
        this.documents = documents;
        this.bucket = bucket;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public Priming.Report prime() {
        return priming.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, operation, context);
    }

    private final class Operation implements ApiOperation {
        @Override
        public String name() {
            return "CreateDocument";
        }

        @Override
        public Set<ServiceGroup> requiredGroups() {
            return EnumSet.of(ServiceGroup.ApiMessageWrite);
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        /** The record keeps no presigned URL (it carries a signature): a replay gets a fresh one, valid from then. */
        @Override
        public ApiResponse toStore(ApiResponse response) {
            if (response.status() != 201) {
                return response;
            }
            ObjectNode body = (ObjectNode) Json.read(response.body());
            body.remove("upload_url");
            return new ApiResponse(response.status(), response.headers(), Json.write(body));
        }

        @Override
        public ApiResponse fromStore(ApiResponse stored, ApiRequest request) {
            if (stored.status() != 201) {
                return stored;
            }
            ObjectNode body = (ObjectNode) Json.read(stored.body());
            DocumentRecord record = documents.find(body.path("document_id").asText()).orElse(null);
            if (record == null) {
                return stored;
            }
            ObjectNode fresh = Json.object();
            fresh.put("document_id", record.id());
            fresh.put("upload_url", bucket.uploadUrl(record.id(), record.contentType(), record.size(), UPLOAD_VALIDITY)
                    .toString());
            fresh.put("expires_at", Timestamps.format(clock.instant().truncatedTo(ChronoUnit.MILLIS).plus(UPLOAD_VALIDITY)));
            return new ApiResponse(201, stored.headers(), Json.write(fresh));
        }

        @Override
        public ApiResponse execute(ApiRequest request) {
            DocumentRequest declared = DocumentRequest.parse(request.jsonBody());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String id = request.reserveIds(List.of(Ulid.of(now.toEpochMilli()))).get(0);
            DocumentRecord record = documents.find(id).orElse(null);
            if (record == null) {
                record = new DocumentRecord(id, request.service().serviceId(), declared.name(), declared.contentType(),
                        declared.size(), now, now.plus(UPLOAD_VALIDITY), null);
                documents.create(record);
            }
            URI upload = bucket.uploadUrl(id, record.contentType(), record.size(), UPLOAD_VALIDITY);
            request.logField("document_id", id);
            log.info("document_declared", "document_id", id, "service_id", record.serviceId(),
                    "content_type", record.contentType(), "size", record.size());
            ObjectNode body = Json.object();
            body.put("document_id", id);
            body.put("upload_url", upload.toString());
            body.put("expires_at", Timestamps.format(record.uploadExpiresAt()));
            return ApiResponse.json(201, body);
        }
    }
}
