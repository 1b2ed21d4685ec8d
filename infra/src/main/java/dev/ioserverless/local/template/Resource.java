package dev.ioserverless.local.template;

import java.util.Map;

/** One entry of the template's {@code Resources}, as written (intrinsics unresolved). */
public record Resource(String logicalId, String type, Map<String, Object> properties) {
    public Object property(String name) {
        return properties.get(name);
    }
}
