package dev.ioserverless.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioserverless.common.FiscalCode;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.HasPrecondition;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IO's {@code NewRCConfigurationPublic}, validated: what a service sends to create or replace a
 * remote-content configuration. Every broken rule is named in one 400, never with the value given
 * (a key must not come back in an error either).
 *
 * <ul>
 *   <li>{@code name} (1 to 200 characters) and {@code description} (1 to 1000), required;
 *   <li>{@code has_precondition}: ALWAYS, ONCE or NEVER, required;
 *   <li>{@code disable_lollipop_for}: an array of at most 100 fiscal codes, required;
 *       {@code is_lollipop_enabled}: boolean, required. Kept and shown as given: this platform
 *       signs no request with the citizen's key (no lollipop), whatever they say;
 *   <li>{@code prod_environment} and {@code test_environment}, at least one: {@code base_url}
 *       (an absolute https URL without credentials, query or fragment; http too where the
 *       platform runs locally), {@code details_authentication} with {@code header_key_name} (an
 *       HTTP header name, not one the platform sets itself), {@code key} (1 to 1000 visible
 *       characters) and {@code type} ({@code API-KEY}); the test environment also
 *       {@code test_users}, at most 100 fiscal codes.
 * </ul>
 */
public record ConfigurationRequest(String name, String description, HasPrecondition hasPrecondition,
                                   List<String> disableLollipopFor, boolean lollipopEnabled,
                                   PlainEnvironment prod, PlainEnvironment test) {

    public static final int NAME_MAX = 200;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int KEY_MAX = 1000;
    public static final int URL_MAX = 2000;
    public static final int MAX_USERS = 100;
    public static final String API_KEY = "API-KEY";
    private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$");
    private static final Pattern VISIBLE = Pattern.compile("^[\\x21-\\x7E]+$");
    /** Headers the platform sets on every request to a body's server, or that HTTP itself owns. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "fiscal_code", "accept", "user-agent", "te", "upgrade", "expect", "proxy-authorization");

    /** An environment as the request gives it, its key in clear: it lives only until sealed. */
    public record PlainEnvironment(String baseUrl, String headerName, String key, List<String> testUsers) {
        @Override
        public String toString() {
            return "PlainEnvironment[" + baseUrl + ", " + headerName + ", key withheld]";
        }
    }

    /**
     * @param allowHttp whether a plain-http base URL is accepted (the local platform, where a
     *     body's server runs on this machine)
     */
    public static ConfigurationRequest parse(JsonNode body, boolean allowHttp) {
        List<String> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new ProblemException(Problem.badRequest("body: must be a JSON object"));
        }
        String name = text(body, "name", "name", NAME_MAX, errors);
        String description = text(body, "description", "description", DESCRIPTION_MAX, errors);
        HasPrecondition precondition = null;
        JsonNode pre = body.get("has_precondition");
        if (pre == null) {
            errors.add("has_precondition: required");
        } else if (!pre.isTextual() || HasPrecondition.fromName(pre.textValue()).isEmpty()) {
            errors.add("has_precondition: must be one of ALWAYS, ONCE, NEVER");
        } else {
            precondition = HasPrecondition.fromName(pre.textValue()).get();
        }
        List<String> lollipopExceptions = fiscalCodes(body, "disable_lollipop_for", "disable_lollipop_for", errors);
        JsonNode lollipop = body.get("is_lollipop_enabled");
        if (lollipop == null) {
            errors.add("is_lollipop_enabled: required");
        } else if (!lollipop.isBoolean()) {
            errors.add("is_lollipop_enabled: must be a boolean");
        }
        PlainEnvironment prod = environment(body, "prod_environment", false, allowHttp, errors);
        PlainEnvironment test = environment(body, "test_environment", true, allowHttp, errors);
        if (!body.has("prod_environment") && !body.has("test_environment")) {
            errors.add("prod_environment: required, or test_environment");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.badRequest(String.join("; ", errors)));
        }
        return new ConfigurationRequest(name, description, precondition, lollipopExceptions,
                lollipop.booleanValue(), prod, test);
    }

    /** The configuration this request makes for {@code serviceId}, its keys sealed by {@code vault}. */
    public RemoteContentConfiguration toConfiguration(String id, String serviceId, KeyVault vault,
                                                      Instant createdAt, Instant now) {
        return new RemoteContentConfiguration(id, serviceId, name, description, hasPrecondition, disableLollipopFor,
                lollipopEnabled, seal(prod, id, "prod", vault), seal(test, id, "test", vault), createdAt, now, null);
    }

    private static RemoteContentConfiguration.Environment seal(PlainEnvironment plain, String id, String environment,
                                                               KeyVault vault) {
        if (plain == null) {
            return null;
        }
        return new RemoteContentConfiguration.Environment(plain.baseUrl(), plain.headerName(),
                vault.seal(plain.key(), KeyVault.context(id, environment)), API_KEY, plain.testUsers());
    }

    private static PlainEnvironment environment(JsonNode body, String field, boolean test, boolean allowHttp,
                                                List<String> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(field + ": must be an object");
            return null;
        }
        int before = errors.size();
        String baseUrl = baseUrl(node, field + ".base_url", allowHttp, errors);
        String headerName = null;
        String key = null;
        JsonNode auth = node.get("details_authentication");
        String authPath = field + ".details_authentication";
        if (auth == null) {
            errors.add(authPath + ": required");
        } else if (!auth.isObject()) {
            errors.add(authPath + ": must be an object");
        } else {
            headerName = text(auth, "header_key_name", authPath + ".header_key_name", 100, errors);
            if (headerName != null && (!HEADER_NAME.matcher(headerName).matches()
                    || RESERVED_HEADERS.contains(headerName.toLowerCase(Locale.ROOT)))) {
                errors.add(authPath + ".header_key_name: must be an HTTP header name the platform does not set itself");
            }
            JsonNode keyNode = auth.get("key");
            if (keyNode == null) {
                errors.add(authPath + ".key: required");
            } else if (!keyNode.isTextual() || keyNode.textValue().length() > KEY_MAX
                    || !VISIBLE.matcher(keyNode.textValue()).matches()) {
                errors.add(authPath + ".key: must be 1 to " + KEY_MAX + " visible ASCII characters");
            } else {
                key = keyNode.textValue();
            }
            JsonNode type = auth.get("type");
            if (type == null) {
                errors.add(authPath + ".type: required");
            } else if (!type.isTextual() || !API_KEY.equals(type.textValue())) {
                errors.add(authPath + ".type: must be " + API_KEY);
            }
        }
        List<String> users = List.of();
        if (test) {
            if (!node.has("test_users")) {
                errors.add(field + ".test_users: required");
            } else {
                users = fiscalCodes(node, "test_users", field + ".test_users", errors);
            }
        }
        return errors.size() > before ? null : new PlainEnvironment(baseUrl, headerName, key, users);
    }

    /** A base URL fit for the remote-content contract; its addresses are checked again at each fetch. */
    static String baseUrl(JsonNode parent, String path, boolean allowHttp, List<String> errors) {
        String text = text(parent, "base_url", path, URL_MAX, errors);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean schemeOk = scheme.equals("https") || (allowHttp && scheme.equals("http"));
            if (!schemeOk || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                errors.add(path + ": must be an absolute " + (allowHttp ? "http or https" : "https")
                        + " URL without credentials, query or fragment");
                return null;
            }
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            errors.add(path + ": must be an absolute URL");
            return null;
        }
    }

    private static String text(JsonNode parent, String name, String path, int max, List<String> errors) {
        JsonNode node = parent.get(name);
        if (node == null) {
            errors.add(path + ": required");
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > max) {
            errors.add(path + ": must be a string of 1 to " + max + " characters");
            return null;
        }
        return node.textValue();
    }

    private static List<String> fiscalCodes(JsonNode parent, String name, String path, List<String> errors) {
        JsonNode node = parent.get(name);
        if (node == null) {
            errors.add(path + ": required");
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_USERS) {
            errors.add(path + ": must be an array of at most " + MAX_USERS + " fiscal codes");
            return List.of();
        }
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || !FiscalCode.isValid(item.textValue())) {
                errors.add(path + "[" + i + "]: must be a fiscal code");
            } else if (!codes.contains(item.textValue())) {
                codes.add(item.textValue());
            }
        }
        return codes;
    }
}
