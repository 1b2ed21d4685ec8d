package dev.ioserverless.local.sns;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of an AWS Query protocol request. Lists and maps arrive flattened, for example
 * {@code Attributes.entry.1.key} / {@code Attributes.entry.1.value} and
 * {@code PublishBatchRequestEntries.member.1.Id}; {@link #indexed} and {@link #stringMap} fold them
 * back.
 */
final class QueryRequest {

    private final Map<String, String> params;

    QueryRequest(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses the URL query string and the form-encoded body; body parameters win. */
    static QueryRequest parse(String rawQuery, String formBody) {
        Map<String, String> params = new LinkedHashMap<>();
        addForm(params, rawQuery);
        addForm(params, formBody);
        return new QueryRequest(params);
    }

    private static void addForm(Map<String, String> target, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            target.put(name, value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SnsException.invalidParameter("malformed form encoding");
        }
    }

    /** The value, or null when absent. */
    String get(String name) {
        return params.get(name);
    }

    /** The value; a missing or empty value is an InvalidParameter error naming the parameter. */
    String require(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw SnsException.invalidParameter(name + " Reason: no value for required parameter");
        }
        return value;
    }

    /**
     * The members of a flattened list or map, in index order: for {@code prefix = "X.member"} the
     * parameters {@code X.member.1.A}, {@code X.member.1.B}, {@code X.member.2.A} become two requests
     * holding {@code A, B} and {@code A}.
     */
    List<QueryRequest> indexed(String prefix) {
        String start = prefix + ".";
        TreeMap<Integer, Map<String, String>> members = new TreeMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(start)) {
                continue;
            }
            String rest = key.substring(start.length());
            int dot = rest.indexOf('.');
            String index = dot < 0 ? rest : rest.substring(0, dot);
            if (index.isEmpty() || index.length() > 6 || !index.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String field = dot < 0 ? "" : rest.substring(dot + 1);
            members.computeIfAbsent(Integer.parseInt(index), i -> new LinkedHashMap<>()).put(field, e.getValue());
        }
        List<QueryRequest> out = new ArrayList<>(members.size());
        members.values().forEach(m -> out.add(new QueryRequest(m)));
        return out;
    }

    /** A flattened string map: {@code prefix.entry.N.key} / {@code prefix.entry.N.value}. */
    Map<String, String> stringMap(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (QueryRequest entry : indexed(prefix + ".entry")) {
            String key = entry.get("key");
            if (key == null || key.isEmpty()) {
                throw SnsException.invalidParameter(prefix + " Reason: an entry has no key");
            }
            String value = entry.get("value");
            out.put(key, value == null ? "" : value);
        }
        return out;
    }
}
