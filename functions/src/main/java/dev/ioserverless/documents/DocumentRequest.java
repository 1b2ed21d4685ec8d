package dev.ioserverless.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code POST /api/v1/documents} declares: {@code name} (1 to 255 characters, no control
 * characters or path separators), {@code content_type} (application/pdf, image/png or
 * image/jpeg) and {@code size} (an integer number of bytes, 1 to {@link #MAX_SIZE}).
 */
public record DocumentRequest(String name, String contentType, long size) {
    /** The largest document: 10 MB. */
    public static final long MAX_SIZE = 10L * 1024 * 1024;
    public static final int NAME_MAX = 255;

    public static DocumentRequest parse(JsonNode body) {
        List<String> errors = new ArrayList<>();
        JsonNode name = body.get("name");
        if (name == null) {
            errors.add("name: required");
        } else if (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > NAME_MAX
                || name.textValue().chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == '/' || c == '\\')) {
            errors.add("name: must be 1 to " + NAME_MAX + " characters, without control characters or path separators");
        }
        JsonNode type = body.get("content_type");
        if (type == null) {
            errors.add("content_type: required");
        } else if (!type.isTextual() || !MediaTypes.ACCEPTED.contains(type.textValue())) {
            errors.add("content_type: must be one of application/pdf, image/png, image/jpeg");
        }
        JsonNode size = body.get("size");
        if (size == null) {
            errors.add("size: required");
        } else if (!size.canConvertToExactIntegral() || !size.isNumber() || size.decimalValue().signum() <= 0
                || size.decimalValue().compareTo(java.math.BigDecimal.valueOf(MAX_SIZE)) > 0) {
            errors.add("size: must be an integer from 1 to " + MAX_SIZE + " bytes");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return new DocumentRequest(name.textValue(), type.textValue(), size.decimalValue().longValueExact());
    }
}
