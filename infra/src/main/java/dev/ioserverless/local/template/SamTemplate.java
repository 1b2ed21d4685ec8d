package dev.ioserverless.local.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed SAM template: its parameters, its function globals and its resources. */
public final class SamTemplate {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String HTTP_API = "AWS::Serverless::HttpApi";
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String TOPIC = "AWS::SNS::Topic";
    public static final String SUBSCRIPTION = "AWS::SNS::Subscription";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String KMS_KEY = "AWS::KMS::Key";
    public static final String KMS_ALIAS = "AWS::KMS::Alias";
    public static final String SES_EMAIL_IDENTITY = "AWS::SES::EmailIdentity";
    public static final String SES_CONFIGURATION_SET = "AWS::SES::ConfigurationSet";
    public static final String SES_EVENT_DESTINATION = "AWS::SES::ConfigurationSetEventDestination";

    private final Path path;
    private final Map<String, Object> parameters;
    private final Map<String, Object> functionGlobals;
    private final Map<String, Resource> resources;

    private SamTemplate(Path path, Map<String, Object> document) {
        this.path = path;
        this.parameters = map(document.get("Parameters"));
        this.functionGlobals = map(map(document.get("Globals")).get("Function"));
        Map<String, Resource> all = new LinkedHashMap<>();
        map(document.get("Resources")).forEach((id, value) -> {
            Map<String, Object> body = map(value);
            Object type = body.get("Type");
            if (!(type instanceof String typeName)) {
                throw new IllegalArgumentException("resource " + id + " has no Type");
            }
            all.put(id, new Resource(id, typeName, map(body.get("Properties"))));
        });
        this.resources = Collections.unmodifiableMap(all);
    }

    public static SamTemplate load(Path path) throws IOException {
        return new SamTemplate(path, CfnYaml.read(path));
    }

    public Path path() {
        return path;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public Map<String, Object> functionGlobals() {
        return functionGlobals;
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public Resource resource(String logicalId) {
        return resources.get(logicalId);
    }

    public List<Resource> ofType(String type) {
        List<Resource> found = new ArrayList<>();
        for (Resource resource : resources.values()) {
            if (resource.type().equals(type)) {
                found.add(resource);
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
