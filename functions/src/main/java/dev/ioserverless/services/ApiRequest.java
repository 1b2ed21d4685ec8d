package dev.ioserverless.services;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One Services API request, once its caller is known: the HTTP event, the authenticated
 * {@link Service}, the body parsed at most once, and the fields the operation adds to the
 * request's log lines (for example the message id, the correlation id).
 */
public final class ApiRequest {
    private final APIGatewayV2HTTPEvent event;
    private final Service service;
    private final List<Object> logFields = new ArrayList<>();
    private JsonNode body;
    private ProblemException bodyProblem;
    private boolean bodyRead;
    private IdReservation reservation = IdReservation.NONE;

    /** Where the ids of the records a request creates come from ({@link #reserveIds}). */
    @FunctionalInterface
    public interface IdReservation {
        /** No Idempotency-Key: fresh ids every time. */
        IdReservation NONE = fresh -> fresh;

        /** The ids to use: {@code fresh}, or those reserved before for the same request and key. */
        List<String> reserve(List<String> fresh);
    }

    public ApiRequest(APIGatewayV2HTTPEvent event, Service service) {
        this.event = event;
        this.service = service;
    }

    public APIGatewayV2HTTPEvent event() {
        return event;
    }

    public Service service() {
        return service;
    }

    public Optional<String> header(String name) {
        return Http.header(event, name);
    }

    /** The path parameter, or null when the route has none of that name. */
    public String pathParameter(String name) {
        return Http.pathParameter(event, name);
    }

    public String method() {
        return Http.method(event);
    }

    /** The request path as sent ({@code /api/v1/messages/RSSMRA80A01H501U}). */
    public String path() {
        if (event.getRawPath() != null) {
            return event.getRawPath();
        }
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null || context.getHttp().getPath() == null
                ? "" : context.getHttp().getPath();
    }

    /**
     * The body as a JSON object ({@link Http#jsonObjectBody}); parsed on first use, the same
     * answer (or the same 415/413/400) afterwards.
     */
    public JsonNode jsonBody() {
        readBody();
        if (bodyProblem != null) {
            throw bodyProblem;
        }
        return body;
    }

    /** The body as a JSON object if it is one; empty (never an error) otherwise. */
    public Optional<JsonNode> jsonBodyIfValid() {
        readBody();
        return Optional.ofNullable(body);
    }

    private void readBody() {
        if (bodyRead) {
            return;
        }
        bodyRead = true;
        try {
            body = Http.jsonObjectBody(event);
        } catch (ProblemException e) {
            bodyProblem = e;
        }
    }

    /**
     * The SHA-256 of the method, the path and the body bytes (decoded from base64 when API
     * Gateway encoded them): what an Idempotency-Key promises not to change.
     */
    public String fingerprint() {
        byte[] bodyBytes;
        try {
            bodyBytes = Http.bodyBytes(event);
        } catch (ProblemException notBase64) {
            bodyBytes = event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        return Hashing.sha256HexOfParts(method().getBytes(StandardCharsets.UTF_8),
                path().getBytes(StandardCharsets.UTF_8), bodyBytes);
    }

    /**
     * The ids of the records this request creates: {@code fresh} for a request without an
     * Idempotency-Key; with one, the ids reserved for that key and request the first time it ran,
     * so that a retry after a lost answer creates the same records.
     *
     * @throws ProblemException 422 when the key's ids were reserved for a different request
     */
    public List<String> reserveIds(List<String> fresh) {
        return reservation.reserve(fresh);
    }

    void reserveIdsWith(IdReservation value) {
        this.reservation = value;
    }

    /** Adds a field to every log line the pipeline writes for this request. Never pass personal data. */
    public void logField(String key, Object value) {
        logFields.add(key);
        logFields.add(value);
    }

    List<Object> logFields() {
        return Collections.unmodifiableList(logFields);
    }
}
