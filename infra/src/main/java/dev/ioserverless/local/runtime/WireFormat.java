package dev.ioserverless.local.runtime;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Events and results as JSON on the wire between the platform and a function's runtime, as AWS
 * writes and reads them. The event classes Lambda's serialization library knows (SQS, SNS,
 * scheduled events) go through that library, whose mixins give AWS's field names
 * ({@code Records}, {@code eventSourceARN}); others (the HTTP API's payload format 2.0 and its
 * response, batch responses, plain maps) through Jackson, as the runtime interface client itself
 * reads them. So an event the platform sends is decoded in the function exactly as Lambda's
 * would be, and a result is read the way API Gateway and the event source mapping read it.
 */
final class WireFormat {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private WireFormat() {
    }

    @SuppressWarnings("unchecked")
    static byte[] toJson(Object value) {
        if (value == null) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        if (LambdaEventSerializers.isLambdaSupportedEvent(value.getClass().getName())) {
            PojoSerializer<Object> serializer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(
                    (Class<Object>) value.getClass(), WireFormat.class.getClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer.toJson(value, out);
            return out.toByteArray();
        }
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result as {@code type}; {@code Object.class} gives maps, lists and plain values. */
    static <R> R fromJson(byte[] json, Class<R> type) {
        if (json.length == 0) {
            return null;
        }
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, WireFormat.class.getClassLoader())
                    .fromJson(new String(json, StandardCharsets.UTF_8));
        }
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("the function's result is not a " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
