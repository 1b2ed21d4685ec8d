package dev.ioserverless.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.local.sns.FilterPolicy.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FilterPolicyTest {

    private static Map<String, MessageAttribute> attrs(String... typeNameValue) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (int i = 0; i < typeNameValue.length; i += 3) {
            String type = typeNameValue[i];
            String name = typeNameValue[i + 1];
            String value = typeNameValue[i + 2];
            out.put(name, type.equals("Binary")
                    ? MessageAttribute.of(name, type, null, value)
                    : MessageAttribute.of(name, type, value, null));
        }
        return out;
    }

    private static boolean onAttributes(String policy, Map<String, MessageAttribute> attributes) {
        return FilterPolicy.parse(policy, Scope.MESSAGE_ATTRIBUTES).matches(attributes, "ignored");
    }

    private static boolean onBody(String policy, String body) {
        return FilterPolicy.parse(policy, Scope.MESSAGE_BODY).matches(Map.of(), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[\"a\"]",
            "{\"a\":\"b\"}",
            "{\"a\":[]}",
            "{\"a\":{\"b\":[\"c\"]}}",
            "{\"a\":[{\"bogus\":1}]}",
            "{\"a\":[{\"prefix\":1}]}",
            "{\"a\":[{\"exists\":\"yes\"}]}",
            "{\"a\":[{\"numeric\":[\"~\",1]}]}",
            "{\"a\":[{\"numeric\":[\">\",\"1\"]}]}",
            "{\"a\":[{\"numeric\":[\"<\",5,\">\",1]}]}",
            "{\"a\":[{\"numeric\":[\">\",5,\"<\",1]}]}",
            "{\"a\":[{\"anything-but\":[]}]}",
            "{\"a\":[{\"prefix\":\"x\",\"suffix\":\"y\"}]}"
    })
    void rejectsInvalidAttributePolicies(String policy) {
        assertThrows(IllegalArgumentException.class, () -> FilterPolicy.parse(policy, Scope.MESSAGE_ATTRIBUTES));
    }

    @Test
    void nestedObjectsAreOnlyAllowedInBodyScope() {
        String nested = "{\"a\":{\"b\":[\"c\"]}}";
        assertThrows(IllegalArgumentException.class, () -> FilterPolicy.parse(nested, Scope.MESSAGE_ATTRIBUTES));
        assertTrue(onBody(nested, "{\"a\":{\"b\":\"c\"}}"));
    }

    @Test
    void scopeAttributeValues() {
        assertEquals(Scope.MESSAGE_ATTRIBUTES, Scope.fromAttribute(null));
        assertEquals(Scope.MESSAGE_BODY, Scope.fromAttribute("MessageBody"));
        assertThrows(IllegalArgumentException.class, () -> Scope.fromAttribute("messagebody"));
    }

    @Test
    void exactValuesAreOredAndKeysAnded() {
        String policy = "{\"kind\":[\"a\",\"b\"],\"n\":[1]}";
        assertTrue(onAttributes(policy, attrs("String", "kind", "b", "Number", "n", "1.0")));
        assertFalse(onAttributes(policy, attrs("String", "kind", "c", "Number", "n", "1")));
        assertFalse(onAttributes(policy, attrs("String", "kind", "a")), "a missing key fails the AND");
        assertFalse(onAttributes(policy, attrs("String", "kind", "a", "String", "n", "1")),
                "a number condition does not match a String attribute");
    }

    @Test
    void numericExactAndRanges() {
        assertTrue(onAttributes("{\"p\":[{\"numeric\":[\"=\",301.5]}]}", attrs("Number", "p", "3.015e2")));
        assertTrue(onAttributes("{\"p\":[301.5]}", attrs("Number.float", "p", "301.50")));
        String range = "{\"p\":[{\"numeric\":[\">\",0,\"<=\",5]}]}";
        assertFalse(onAttributes(range, attrs("Number", "p", "0")));
        assertTrue(onAttributes(range, attrs("Number", "p", "0.001")));
        assertTrue(onAttributes(range, attrs("Number", "p", "5")));
        assertFalse(onAttributes(range, attrs("Number", "p", "5.0001")));
        assertFalse(onAttributes("{\"p\":[{\"numeric\":[\"<\",0]}]}", attrs("Number", "p", "0")));
        assertTrue(onAttributes("{\"p\":[{\"numeric\":[\">=\",-1]}]}", attrs("Number", "p", "-1")));
    }

    @Test
    void stringOperators() {
        assertTrue(onAttributes("{\"e\":[{\"prefix\":\"order-\"}]}", attrs("String", "e", "order-paid")));
        assertFalse(onAttributes("{\"e\":[{\"prefix\":\"order-\"}]}", attrs("String", "e", "refund")));
        assertTrue(onAttributes("{\"e\":[{\"suffix\":\".png\"}]}", attrs("String", "e", "a.png")));
        assertTrue(onAttributes("{\"e\":[{\"equals-ignore-case\":\"PAID\"}]}", attrs("String", "e", "paid")));
        assertFalse(onAttributes("{\"e\":[{\"prefix\":\"1\"}]}", attrs("Number", "e", "12")),
                "prefix matching applies to strings only");
    }

    @Test
    void anythingBut() {
        String list = "{\"e\":[{\"anything-but\":[\"a\",\"b\"]}]}";
        assertTrue(onAttributes(list, attrs("String", "e", "c")));
        assertFalse(onAttributes(list, attrs("String", "e", "a")));
        assertFalse(onAttributes(list, attrs()), "anything-but needs the attribute to be present");
        assertFalse(onAttributes("{\"e\":[{\"anything-but\":\"a\"}]}", attrs("String", "e", "a")));
        assertFalse(onAttributes("{\"n\":[{\"anything-but\":[100,500]}]}", attrs("Number", "n", "100")));
        assertTrue(onAttributes("{\"n\":[{\"anything-but\":[100,500]}]}", attrs("Number", "n", "101")));
        String prefix = "{\"e\":[{\"anything-but\":{\"prefix\":\"order-\"}}]}";
        assertFalse(onAttributes(prefix, attrs("String", "e", "order-1")));
        assertTrue(onAttributes(prefix, attrs("String", "e", "refund")));
    }

    @Test
    void exists() {
        assertTrue(onAttributes("{\"p\":[{\"exists\":true}]}", attrs("String", "p", "x")));
        assertFalse(onAttributes("{\"p\":[{\"exists\":true}]}", attrs("String", "q", "x")));
        assertTrue(onAttributes("{\"p\":[{\"exists\":false}]}", attrs("String", "q", "x")));
        assertFalse(onAttributes("{\"p\":[{\"exists\":false}]}", attrs("String", "p", "x")));
        assertTrue(onAttributes("{\"p\":[{\"exists\":true}]}", attrs("Binary", "p", "AAE=")));
        assertFalse(onAttributes("{\"p\":[\"AAE=\"]}", attrs("Binary", "p", "AAE=")),
                "binary attributes are not matched by value");
    }

    @Test
    void stringArrayAttributesMatchAnyElement() {
        Map<String, MessageAttribute> tags = attrs("String.Array", "tags", "[\"red\",\"blue\",7]");
        assertTrue(onAttributes("{\"tags\":[\"blue\"]}", tags));
        assertTrue(onAttributes("{\"tags\":[7]}", tags));
        assertFalse(onAttributes("{\"tags\":[\"green\"]}", tags));
        assertTrue(onAttributes("{\"tags\":[{\"anything-but\":\"red\"}]}", tags),
                "anything-but matches when some element is not excluded");
    }

    @Test
    void bodyScope() {
        String policy = "{\"payment\":{\"status\":[\"PAID\"]},\"flags\":[true],\"note\":[null]}";
        assertTrue(onBody(policy, "{\"payment\":{\"status\":\"PAID\"},\"flags\":true,\"note\":null}"));
        assertTrue(onBody(policy, "{\"payment\":{\"status\":[\"DUE\",\"PAID\"]},\"flags\":[false,true],\"note\":null}"));
        assertFalse(onBody(policy, "{\"payment\":{\"status\":\"PAID\"},\"flags\":\"true\",\"note\":null}"));
        assertFalse(onBody(policy, "{\"payment\":\"PAID\",\"flags\":true,\"note\":null}"));
        assertFalse(onBody(policy, "{\"payment\":{\"status\":\"PAID\"},\"flags\":true}"), "null is not absence");
        assertFalse(onBody(policy, "not json"));
        assertFalse(onBody(policy, "[1,2]"));
        assertTrue(onBody("{\"a\":{\"b\":[{\"exists\":false}]}}", "{\"c\":1}"), "absent parent means absent child");
        assertFalse(onBody("{\"a\":{\"b\":[{\"exists\":true}]}}", "{\"a\":{\"c\":1}}"));
    }

    @Test
    void emptyPolicyIsEmpty() {
        assertTrue(FilterPolicy.parse("{}", Scope.MESSAGE_ATTRIBUTES).isEmpty());
        assertFalse(FilterPolicy.parse("{\"a\":[\"b\"]}", Scope.MESSAGE_ATTRIBUTES).isEmpty());
    }
}
