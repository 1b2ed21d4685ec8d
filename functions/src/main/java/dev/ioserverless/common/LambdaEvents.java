package dev.ioserverless.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * Reads Lambda event JSON (the shapes Lambda delivers, as in {@code events/*.json}) into the
 * {@code aws-lambda-java-events} classes with plain Jackson.
 *
 * <p>Lambda's own serializer matches property names case-insensitively; these classes rely on
 * that: {@code SQSEvent} names its list {@code records} but Lambda sends {@code Records}, and
 * {@code SQSMessage} has {@code eventSourceArn} where Lambda sends {@code eventSourceARN}. This
 * mapper does the same, and ignores properties the classes do not model (for example
 * {@code requestContext.authentication} of an HTTP API event).
 */
public final class LambdaEvents {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private LambdaEvents() {
    }

    /** The event in {@code json} as an instance of {@code type}, e.g. {@code SQSEvent.class}. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName() + " event", e);
        }
    }
}
