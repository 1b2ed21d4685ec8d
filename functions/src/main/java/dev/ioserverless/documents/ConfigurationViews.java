package dev.ioserverless.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioserverless.common.Json;
import java.util.List;

/**
 * The Services API's shapes of a configuration, with exactly IO's properties:
 * {@code RCConfigurationPublic} (creation), {@code RCConfigurationResponse} (read, with
 * {@code user_id}: here the owning service) and {@code RCConfigurationListResponse}. IO's schema
 * requires {@code details_authentication.key}; it is answered as {@link #WITHHELD_KEY}, always:
 * a key is write-only, and a leaked response leaks no key.
 */
public final class ConfigurationViews {
    /** What every response shows in place of a key. */
    public static final String WITHHELD_KEY = "********";

    private ConfigurationViews() {
    }

    public static ObjectNode publicView(RemoteContentConfiguration configuration) {
        ObjectNode node = Json.object();
        node.put("configuration_id", configuration.id());
        node.put("name", configuration.name());
        node.put("description", configuration.description());
        node.put("has_precondition", configuration.hasPrecondition().name());
        ArrayNode lollipop = node.putArray("disable_lollipop_for");
        configuration.disableLollipopFor().forEach(lollipop::add);
        node.put("is_lollipop_enabled", configuration.lollipopEnabled());
        if (configuration.test() != null) {
            node.set("test_environment", environment(configuration.test(), true));
        }
        if (configuration.prod() != null) {
            node.set("prod_environment", environment(configuration.prod(), false));
        }
        return node;
    }

    public static ObjectNode response(RemoteContentConfiguration configuration) {
        ObjectNode node = publicView(configuration);
        node.put("user_id", configuration.serviceId());
        return node;
    }

    public static ObjectNode list(List<RemoteContentConfiguration> configurations) {
        ObjectNode node = Json.object();
        ArrayNode list = node.putArray("rcConfigList");
        configurations.forEach(c -> list.add(response(c)));
        return node;
    }

    private static ObjectNode environment(RemoteContentConfiguration.Environment environment, boolean test) {
        ObjectNode node = Json.object();
        node.put("base_url", environment.baseUrl());
        ObjectNode auth = node.putObject("details_authentication");
        auth.put("header_key_name", environment.headerName());
        auth.put("key", WITHHELD_KEY);
        auth.put("type", environment.authenticationType());
        if (test) {
            ArrayNode users = node.putArray("test_users");
            environment.testUsers().forEach(users::add);
        }
        return node;
    }
}
