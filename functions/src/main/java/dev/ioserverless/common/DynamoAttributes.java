package dev.ioserverless.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Small helpers for the DynamoDB adapters: building attribute values and reading them back
 * from items, with a clear error when a required attribute is missing or has another type.
 */
public final class DynamoAttributes {
    private DynamoAttributes() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    public static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.builder().bool(value).build();
    }

    /** A list of strings ({@code L} of {@code S}); DynamoDB allows an empty list. */
    public static AttributeValue stringList(Collection<String> values) {
        List<AttributeValue> items = new ArrayList<>(values.size());
        for (String value : values) {
            items.add(s(value));
        }
        return AttributeValue.builder().l(items).build();
    }

    public static Optional<String> optString(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        return optString(item, name).orElseThrow(() -> missing(name, "S"));
    }

    public static Optional<Long> optLong(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.n()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("attribute " + name + " is not an integer");
        }
    }

    public static long longValue(Map<String, AttributeValue> item, String name) {
        return optLong(item, name).orElseThrow(() -> missing(name, "N"));
    }

    public static Optional<Boolean> optBool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.bool() == null ? Optional.empty() : Optional.of(value.bool());
    }

    /** The strings of an {@code L} (of {@code S}) or {@code SS} attribute; empty when absent. */
    public static List<String> stringList(Map<String, AttributeValue> item, String name) {
        return stringList(item.get(name));
    }

    /** The strings of an {@code L} (of {@code S}) or {@code SS} value; empty when null. */
    public static List<String> stringList(AttributeValue value) {
        if (value == null) {
            return List.of();
        }
        if (value.hasSs()) {
            return List.copyOf(value.ss());
        }
        if (!value.hasL()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(value.l().size());
        for (AttributeValue element : value.l()) {
            if (element.s() != null) {
                out.add(element.s());
            }
        }
        return List.copyOf(out);
    }

    private static IllegalStateException missing(String name, String type) {
        return new IllegalStateException("item has no " + type + " attribute " + name);
    }
}
