package dev.ioserverless.local.sns;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One SNS message attribute. {@code dataType} is {@code String}, {@code Number} or {@code Binary},
 * optionally with a custom suffix ({@code String.Array}, {@code Number.float}). String and Number
 * attributes carry {@code stringValue}; Binary ones carry {@code binaryValue}.
 */
record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    /** Validates one attribute of a Publish or PublishBatch entry, as SNS does. */
    static MessageAttribute of(String name, String dataType, String stringValue, String base64Value) {
        if (name == null || name.isEmpty() || name.length() > 256) {
            throw invalid("a message attribute name must be 1 to 256 characters long");
        }
        if (name.startsWith("AWS.") || name.startsWith("Amazon.") || name.startsWith(".")
                || name.endsWith(".") || name.contains("..")
                || !name.chars().allMatch(MessageAttribute::isNameChar)) {
            throw invalid("the message attribute name '" + name + "' is not valid");
        }
        if (dataType == null || dataType.isEmpty()) {
            throw invalid("the message attribute '" + name + "' must contain non-empty message attribute type");
        }
        String base = baseType(dataType);
        switch (base) {
            case "String", "Number" -> {
                if (stringValue == null || stringValue.isEmpty()) {
                    throw invalid("the message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type '" + base + "'");
                }
                if (base.equals("Number")) {
                    try {
                        new BigDecimal(stringValue.trim());
                    } catch (NumberFormatException e) {
                        throw invalid("could not cast message attribute '" + name + "' value to number");
                    }
                }
                return new MessageAttribute(dataType, stringValue, null);
            }
            case "Binary" -> {
                if (base64Value == null || base64Value.isEmpty()) {
                    throw invalid("the message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type 'Binary'");
                }
                try {
                    return new MessageAttribute(dataType, null, Base64.getMimeDecoder().decode(base64Value));
                } catch (IllegalArgumentException e) {
                    throw invalid("the message attribute '" + name + "' has an invalid binary value");
                }
            }
            default -> throw invalid("the message attribute '" + name
                    + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String");
        }
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }

    private static SnsException invalid(String reason) {
        return SnsException.invalidParameter("MessageAttributes Reason: " + reason);
    }

    static String baseType(String dataType) {
        int dot = dataType.indexOf('.');
        return dot < 0 ? dataType : dataType.substring(0, dot);
    }

    String baseType() {
        return baseType(dataType);
    }

    boolean isBinary() {
        return binaryValue != null;
    }

    /** The value as SNS shows it in a JSON envelope: text, or Base64 for binary. */
    String displayValue() {
        return isBinary() ? Base64.getEncoder().encodeToString(binaryValue) : stringValue;
    }

    /** Bytes counted against the 256 KB message size limit: name, type and value. */
    int size(String name) {
        int value = isBinary() ? binaryValue.length : stringValue.getBytes(StandardCharsets.UTF_8).length;
        return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length + value;
    }
}
