package dev.ioserverless.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.ProblemException;
import dev.ioserverless.messages.HasPrecondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationRequestTest {
    static final String VALID = "{\"name\":\"Verbali\",\"description\":\"Server dei verbali\",\"has_precondition\":\"ONCE\","
            + "\"disable_lollipop_for\":[\"RSSMRA80A01H501U\"],\"is_lollipop_enabled\":false,"
            + "\"prod_environment\":{\"base_url\":\"https://verbali.example.it/io/\",\"details_authentication\":"
            + "{\"header_key_name\":\"X-Key\",\"key\":\"secret-key-value\",\"type\":\"API-KEY\"}},"
            + "\"test_environment\":{\"base_url\":\"https://test.example.it\",\"details_authentication\":"
            + "{\"header_key_name\":\"X-Key\",\"key\":\"test-key-value\",\"type\":\"API-KEY\"},\"test_users\":[\"VRDGPP80A01H501Y\"]}}";

    /** Seals by wrapping, so a test can see what was sealed under which context. */
    static final KeyVault VAULT = new KeyVault() {
        @Override
        public String seal(String key, Map<String, String> context) {
            return "sealed(" + context.get("configuration_id") + "," + context.get("environment") + ")";
        }

        @Override
        public String open(String sealed, Map<String, String> context) {
            throw new UnsupportedOperationException();
        }
    };

    static String problem(String body, boolean allowHttp) {
        return assertThrows(ProblemException.class, () -> ConfigurationRequest.parse(Json.read(body), allowHttp))
                .problem().detail();
    }

    @Test
    void aValidRequestBecomesAConfigurationWithSealedKeys() {
        ConfigurationRequest request = ConfigurationRequest.parse(Json.read(VALID), false);
        RemoteContentConfiguration configuration = request.toConfiguration("01ARZ3NDEKTSV4RRFFQ69G5FAV", "svc", VAULT,
                Instant.EPOCH, Instant.EPOCH);
        assertEquals(HasPrecondition.ONCE, configuration.hasPrecondition());
        assertEquals("https://verbali.example.it/io", configuration.prod().baseUrl(), "no trailing slash");
        assertEquals("sealed(01ARZ3NDEKTSV4RRFFQ69G5FAV,prod)", configuration.prod().sealedKey());
        assertEquals("sealed(01ARZ3NDEKTSV4RRFFQ69G5FAV,test)", configuration.test().sealedKey());
        assertEquals(configuration.test(), configuration.environmentFor("VRDGPP80A01H501Y"), "a test user gets the test server");
        assertEquals(configuration.prod(), configuration.environmentFor("RSSMRA80A01H501U"));
        assertFalse(request.toString().contains("secret-key-value"));
        ObjectNode view = ConfigurationViews.response(configuration);
        assertFalse(view.toString().contains("sealed"), view.toString());
        assertEquals(ConfigurationViews.WITHHELD_KEY, view.path("prod_environment").path("details_authentication").path("key").asText());
        assertEquals("svc", view.path("user_id").asText());
    }

    @Test
    void everyBrokenRuleIsNamedAndNoKeyIsRepeated() {
        ObjectNode bad = (ObjectNode) Json.read(VALID);
        bad.put("has_precondition", "MAYBE");
        bad.remove("name");
        ObjectNode auth = (ObjectNode) bad.path("prod_environment").path("details_authentication");
        auth.put("header_key_name", "Host");
        auth.put("key", "has a space");
        auth.put("type", "OAUTH");
        ((ObjectNode) bad.path("test_environment")).putArray("test_users").add("nope");
        String detail = problem(bad.toString(), false);
        for (String field : List.of("name: required", "has_precondition", "prod_environment.details_authentication.header_key_name",
                "prod_environment.details_authentication.key", "prod_environment.details_authentication.type",
                "test_environment.test_users[0]")) {
            assertTrue(detail.contains(field), field + " in " + detail);
        }
        assertFalse(detail.contains("has a space"));
    }

    @Test
    void baseUrlsAreHttpsWithoutCredentialsUnlessTheLocalPlatformAllowsHttp() {
        String http = VALID.replace("https://verbali.example.it/io/", "http://127.0.0.1:8080/io");
        assertTrue(problem(http, false).contains("prod_environment.base_url: must be an absolute https URL"));
        assertEquals("http://127.0.0.1:8080/io", ConfigurationRequest.parse(Json.read(http), true).prod().baseUrl());
        for (String url : List.of("https://user:pw@example.it", "https://example.it?x=1", "https://example.it#f", "ftp://example.it",
                "example.it")) {
            assertTrue(problem(VALID.replace("https://verbali.example.it/io/", url), true)
                    .contains("prod_environment.base_url"), url);
        }
        assertTrue(problem("{\"name\":\"a\",\"description\":\"b\",\"has_precondition\":\"NEVER\",\"disable_lollipop_for\":[],"
                + "\"is_lollipop_enabled\":false}", false).contains("prod_environment: required, or test_environment"));
    }
}
