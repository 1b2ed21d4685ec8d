package dev.ioserverless.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subscription filter policy, matched against the message attributes (scope
 * {@code MessageAttributes}, the default) or the JSON message body (scope {@code MessageBody}).
 *
 * <p>Keys are ANDed; the conditions in a key's array are ORed; a condition matches when any of the
 * message's values for that key satisfies it (a {@code String.Array} attribute or a JSON array has
 * several). Conditions: exact string, exact number, boolean or null, {@code prefix}, {@code suffix},
 * {@code equals-ignore-case}, {@code anything-but} (value, list, or {@code prefix}/{@code suffix}),
 * {@code numeric} ({@code =, <, <=, >, >=}, one or two comparisons) and {@code exists}. Matching is
 * type-strict: a string condition never matches a number and vice versa. A key that is absent from
 * the message only matches {@code {"exists": false}}. In body scope, nested policy objects match
 * nested JSON objects.
 */
final class FilterPolicy {

    enum Scope {
        MESSAGE_ATTRIBUTES("MessageAttributes"), MESSAGE_BODY("MessageBody");

        final String attributeValue;

        Scope(String attributeValue) {
            this.attributeValue = attributeValue;
        }

        /** Parses the FilterPolicyScope attribute; null means the default, MessageAttributes. */
        static Scope fromAttribute(String value) {
            if (value == null || value.isEmpty()) {
                return MESSAGE_ATTRIBUTES;
            }
            for (Scope s : values()) {
                if (s.attributeValue.equals(value)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("FilterPolicyScope must be MessageAttributes or MessageBody");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NUMERIC_OPERATORS = Set.of("=", "<", "<=", ">", ">=");
    /** Marks a JSON null among a message's values. */
    private static final Object NULL = new Object();

    private final JsonNode policy;
    private final Scope scope;

    private FilterPolicy(JsonNode policy, Scope scope) {
        this.policy = policy;
        this.scope = scope;
    }

    /**
     * Parses and validates a policy.
     *
     * @throws IllegalArgumentException naming what is wrong with the policy
     */
    static FilterPolicy parse(String json, Scope scope) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("failed to parse JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the policy must be a JSON object");
        }
        validateObject(root, scope == Scope.MESSAGE_BODY);
        return new FilterPolicy(root, scope);
    }

    Scope scope() {
        return scope;
    }

    /** True for {@code {}}, which filters nothing out. */
    boolean isEmpty() {
        return policy.isEmpty();
    }

    /** Whether a message with these attributes and this (delivered) body passes the policy. */
    boolean matches(Map<String, MessageAttribute> attributes, String body) {
        if (scope == Scope.MESSAGE_ATTRIBUTES) {
            Iterator<Map.Entry<String, JsonNode>> keys = policy.fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (!matchesAny(key.getValue(), valuesOf(attributes.get(key.getKey())))) {
                    return false;
                }
            }
            return true;
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return false;
        }
        return document != null && document.isObject() && matchesObject(policy, document);
    }

    private static boolean matchesObject(JsonNode policyObject, JsonNode document) {
        Iterator<Map.Entry<String, JsonNode>> keys = policyObject.fields();
        while (keys.hasNext()) {
            Map.Entry<String, JsonNode> key = keys.next();
            JsonNode value = document == null ? null : document.get(key.getKey());
            boolean ok = key.getValue().isObject()
                    ? matchesObject(key.getValue(), value != null && value.isObject() ? value : null)
                    : matchesAny(key.getValue(), valuesOf(value));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The values a message has for one key; {@code present} is false when the key is absent. */
    private record Values(boolean present, List<Object> scalars) {
        static final Values ABSENT = new Values(false, List.of());
    }

    private static Values valuesOf(MessageAttribute attribute) {
        if (attribute == null) {
            return Values.ABSENT;
        }
        switch (attribute.baseType()) {
            case "Number":
                return new Values(true, List.of(new BigDecimal(attribute.stringValue().trim())));
            case "String":
                if (attribute.dataType().equals("String.Array")) {
                    try {
                        JsonNode array = JSON.readTree(attribute.stringValue());
                        if (array != null && array.isArray()) {
                            return valuesOf(array);
                        }
                    } catch (JsonProcessingException e) {
                        // not an array after all: fall back to the plain string
                    }
                }
                return new Values(true, List.of(attribute.stringValue()));
            default:
                return new Values(true, List.of()); // Binary attributes are never matched by value
        }
    }

    private static Values valuesOf(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return Values.ABSENT;
        }
        List<Object> scalars = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> addScalar(scalars, element));
        } else {
            addScalar(scalars, node);
        }
        return new Values(true, scalars);
    }

    private static void addScalar(List<Object> scalars, JsonNode node) {
        if (node.isTextual()) {
            scalars.add(node.textValue());
        } else if (node.isNumber()) {
            scalars.add(node.decimalValue());
        } else if (node.isBoolean()) {
            scalars.add(node.booleanValue());
        } else if (node.isNull()) {
            scalars.add(NULL);
        }
    }

    private static boolean matchesAny(JsonNode conditions, Values values) {
        for (JsonNode condition : conditions) {
            if (matches(condition, values)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode condition, Values values) {
        if (!condition.isObject()) {
            return values.scalars().stream().anyMatch(v -> sameScalar(condition, v));
        }
        Map.Entry<String, JsonNode> operator = condition.fields().next();
        JsonNode argument = operator.getValue();
        if (operator.getKey().equals("exists")) {
            return argument.booleanValue() == values.present();
        }
        List<Object> scalars = values.scalars();
        return switch (operator.getKey()) {
            case "prefix" -> scalars.stream().anyMatch(v -> v instanceof String s && s.startsWith(argument.textValue()));
            case "suffix" -> scalars.stream().anyMatch(v -> v instanceof String s && s.endsWith(argument.textValue()));
            case "equals-ignore-case" ->
                    scalars.stream().anyMatch(v -> v instanceof String s && s.equalsIgnoreCase(argument.textValue()));
            case "numeric" -> scalars.stream().anyMatch(v -> v instanceof BigDecimal n && inRange(argument, n));
            case "anything-but" -> scalars.stream().anyMatch(v -> !excluded(argument, v));
            default -> false; // unreachable: parse() rejects unknown operators
        };
    }

    /** Whether {@code value} is one of the values an {@code anything-but} argument excludes. */
    private static boolean excluded(JsonNode argument, Object value) {
        if (argument.isObject()) {
            Map.Entry<String, JsonNode> inner = argument.fields().next();
            String text = inner.getValue().textValue();
            return value instanceof String s
                    && (inner.getKey().equals("prefix") ? s.startsWith(text) : s.endsWith(text));
        }
        if (argument.isArray()) {
            for (JsonNode candidate : argument) {
                if (sameScalar(candidate, value)) {
                    return true;
                }
            }
            return false;
        }
        return sameScalar(argument, value);
    }

    private static boolean sameScalar(JsonNode literal, Object value) {
        if (literal.isTextual()) {
            return literal.textValue().equals(value);
        }
        if (literal.isNumber()) {
            return value instanceof BigDecimal n && literal.decimalValue().compareTo(n) == 0;
        }
        if (literal.isBoolean()) {
            return value instanceof Boolean b && b == literal.booleanValue();
        }
        return literal.isNull() && value == NULL;
    }

    private static boolean inRange(JsonNode comparisons, BigDecimal n) {
        for (int i = 0; i < comparisons.size(); i += 2) {
            int c = n.compareTo(comparisons.get(i + 1).decimalValue());
            boolean ok = switch (comparisons.get(i).textValue()) {
                case "=" -> c == 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0; // ">="
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---- validation -------------------------------------------------------------------------

    private static void validateObject(JsonNode object, boolean nestingAllowed) {
        Iterator<Map.Entry<String, JsonNode>> keys = object.fields();
        while (keys.hasNext()) {
            Map.Entry<String, JsonNode> key = keys.next();
            JsonNode value = key.getValue();
            if (value.isObject() && nestingAllowed) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("empty object for key " + key.getKey());
                }
                validateObject(value, true);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("empty array for key " + key.getKey());
                }
                value.forEach(FilterPolicy::validateCondition);
            } else {
                throw new IllegalArgumentException("the value of key " + key.getKey() + " must be an array"
                        + (nestingAllowed ? " or an object" : ""));
            }
        }
    }

    private static void validateCondition(JsonNode condition) {
        if (condition.isValueNode()) {
            return;
        }
        if (!condition.isObject() || condition.size() != 1) {
            throw new IllegalArgumentException("a match condition must be a value or an object with one operator");
        }
        Map.Entry<String, JsonNode> operator = condition.fields().next();
        JsonNode argument = operator.getValue();
        switch (operator.getKey()) {
            case "prefix", "suffix", "equals-ignore-case" -> require(argument.isTextual(),
                    operator.getKey() + " match pattern must be a string");
            case "exists" -> require(argument.isBoolean(), "exists match pattern must be either true or false");
            case "numeric" -> validateNumeric(argument);
            case "anything-but" -> validateAnythingBut(argument);
            default -> throw new IllegalArgumentException("unrecognized match type " + operator.getKey());
        }
    }

    private static void validateNumeric(JsonNode argument) {
        require(argument.isArray() && (argument.size() == 2 || argument.size() == 4),
                "numeric match must be [operator, number] or [operator, number, operator, number]");
        for (int i = 0; i < argument.size(); i += 2) {
            require(argument.get(i).isTextual() && NUMERIC_OPERATORS.contains(argument.get(i).textValue()),
                    "unrecognized numeric range operator " + argument.get(i));
            require(argument.get(i + 1).isNumber(), "value of numeric operator must be a number");
        }
        if (argument.size() == 4) {
            String lower = argument.get(0).textValue();
            String upper = argument.get(2).textValue();
            require(lower.startsWith(">") && upper.startsWith("<")
                            && argument.get(1).decimalValue().compareTo(argument.get(3).decimalValue()) < 0,
                    "a numeric range must be a lower bound (> or >=) followed by a greater upper bound (< or <=)");
        }
    }

    private static void validateAnythingBut(JsonNode argument) {
        if (argument.isObject()) {
            require(argument.size() == 1 && (argument.has("prefix") || argument.has("suffix"))
                            && argument.fields().next().getValue().isTextual(),
                    "anything-but accepts a value, a list of values, or a prefix/suffix object");
        } else if (argument.isArray()) {
            require(!argument.isEmpty(), "anything-but list must not be empty");
            argument.forEach(v -> require(v.isValueNode(), "anything-but list must contain only values"));
        } else {
            require(argument.isValueNode(), "anything-but accepts a value or a list of values");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
