package dev.ioserverless.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template as deployed locally: parameter values, physical names, and the resolution of
 * {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Select} and
 * {@code Fn::Split} against them.
 */
public final class Stack {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final SamTemplate template;
    private final String stackName;
    private final String region;
    private final String accountId;
    private final Map<String, String> parameterOverrides;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Map<String, String> keyIds = new ConcurrentHashMap<>();

    public Stack(SamTemplate template, String stackName, String region, String accountId,
                 Map<String, String> parameterOverrides) {
        this.template = template;
        this.stackName = stackName;
        this.region = region;
        this.accountId = accountId;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        for (String name : template.parameters().keySet()) {
            parameterValue(name); // fail fast on a parameter with neither default nor value
        }
    }

    public SamTemplate template() {
        return template;
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    public String stackName() {
        return stackName;
    }

    /** Records the URL the SQS endpoint gave a queue, which {@code Ref} of that queue returns. */
    public void queueCreated(String logicalId, String url) {
        queueUrls.put(logicalId, url);
    }

    /** Records the id KMS gave a key, which {@code Ref} of that key returns. */
    public void keyCreated(String logicalId, String keyId) {
        keyIds.put(logicalId, keyId);
    }

    /** The id of a template key, once created. */
    public String keyId(String logicalId) {
        String keyId = keyIds.get(logicalId);
        if (keyId == null) {
            throw new IllegalStateException("key " + logicalId + " is referenced before it was created");
        }
        return keyId;
    }

    /**
     * The physical name of a table, queue, topic, function, bucket, alias, SES identity (the address
     * or domain) or SES configuration set ({@code Name}, or one made from the stack's name).
     */
    public String physicalName(String logicalId) {
        Resource resource = requireResource(logicalId);
        String nameProperty = switch (resource.type()) {
            case SamTemplate.TABLE -> "TableName";
            case SamTemplate.QUEUE -> "QueueName";
            case SamTemplate.TOPIC -> "TopicName";
            case SamTemplate.FUNCTION -> "FunctionName";
            case SamTemplate.BUCKET -> "BucketName";
            case SamTemplate.KMS_ALIAS -> "AliasName";
            case SamTemplate.SES_EMAIL_IDENTITY -> "EmailIdentity";
            case SamTemplate.SES_CONFIGURATION_SET -> "Name";
            default -> null;
        };
        Object explicit = nameProperty == null ? null : resource.property(nameProperty);
        if (explicit != null) {
            return resolveString(explicit);
        }
        String generated = stackName + "-" + logicalId;
        if (resource.type().equals(SamTemplate.BUCKET)) {
            // Bucket names are lower case (CloudFormation adds a random suffix; locally the name is stable).
            return generated.toLowerCase(java.util.Locale.ROOT);
        }
        if (resource.type().equals(SamTemplate.KMS_KEY)) {
            return keyId(logicalId);
        }
        if (resource.type().equals(SamTemplate.QUEUE) && Boolean.TRUE.equals(resolve(resource.property("FifoQueue")))) {
            generated += ".fifo";
        }
        return generated;
    }

    public String arn(String logicalId) {
        Resource resource = requireResource(logicalId);
        String name = physicalName(logicalId);
        return switch (resource.type()) {
            case SamTemplate.TABLE -> "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + name;
            case SamTemplate.QUEUE -> "arn:aws:sqs:" + region + ":" + accountId + ":" + name;
            case SamTemplate.TOPIC -> "arn:aws:sns:" + region + ":" + accountId + ":" + name;
            case SamTemplate.FUNCTION -> "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
            case SamTemplate.BUCKET -> "arn:aws:s3:::" + name;
            case SamTemplate.KMS_KEY -> "arn:aws:kms:" + region + ":" + accountId + ":key/" + name;
            case SamTemplate.KMS_ALIAS -> "arn:aws:kms:" + region + ":" + accountId + ":" + name;
            default -> throw new IllegalArgumentException("no ARN for " + logicalId + " (" + resource.type() + ")");
        };
    }

    /** The logical id of the queue with this ARN, as SQS event sources and subscriptions name queues. */
    public String queueLogicalIdByArn(String queueArn) {
        for (Resource queue : template.ofType(SamTemplate.QUEUE)) {
            if (arn(queue.logicalId()).equals(queueArn)) {
                return queue.logicalId();
            }
        }
        throw new IllegalArgumentException("no queue in the template has ARN " + queueArn);
    }

    public Object ref(String name) {
        switch (name) {
            case "AWS::Region": return region;
            case "AWS::AccountId": return accountId;
            case "AWS::StackName": return stackName;
            case "AWS::StackId": return "arn:aws:cloudformation:" + region + ":" + accountId + ":stack/" + stackName + "/local";
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::NoValue": return null;
            default: break;
        }
        if (template.parameters().containsKey(name)) {
            return parameterValue(name);
        }
        Resource resource = requireResource(name);
        return switch (resource.type()) {
            case SamTemplate.QUEUE -> {
                String url = queueUrls.get(name);
                if (url == null) {
                    throw new IllegalStateException("queue " + name + " is referenced before it was created");
                }
                yield url;
            }
            case SamTemplate.TOPIC -> arn(name);
            case SamTemplate.HTTP_API -> "local";
            case SamTemplate.KMS_KEY -> keyId(name);
            default -> physicalName(name);
        };
    }

    public Object getAtt(String logicalId, String attribute) {
        Resource resource = requireResource(logicalId);
        return switch (attribute) {
            case "Arn" -> arn(logicalId);
            case "QueueName", "TopicName" -> physicalName(logicalId);
            case "QueueUrl" -> ref(logicalId);
            case "TopicArn" -> arn(logicalId);
            case "StreamArn" -> arn(logicalId) + "/stream/local";
            case "ApiEndpoint" -> "http://localhost";
            case "KeyId" -> keyId(logicalId);
            case "DomainName" -> physicalName(logicalId) + ".s3.amazonaws.com";
            case "RegionalDomainName" -> physicalName(logicalId) + ".s3." + region + ".amazonaws.com";
            default -> throw new IllegalArgumentException(
                    "unsupported attribute " + logicalId + "." + attribute + " (" + resource.type() + ")");
        };
    }

    /** Resolves every intrinsic function inside a template value. */
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, only.getValue());
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object r = resolve(v);
                if (r != null) {
                    resolved.put(String.valueOf(k), r);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object r = resolve(item);
                if (r != null) {
                    resolved.add(r);
                }
            }
            return resolved;
        }
        return value;
    }

    public String resolveString(Object value) {
        Object resolved = resolve(value);
        return resolved == null ? null : String.valueOf(resolved);
    }

    private Object intrinsic(String function, Object argument) {
        switch (function) {
            case "Ref":
                return ref(String.valueOf(argument));
            case "Fn::GetAtt": {
                List<Object> parts = argumentList(function, argument);
                return getAtt(String.valueOf(parts.get(0)), String.valueOf(resolve(parts.get(1))));
            }
            case "Fn::Sub":
                return sub(argument);
            case "Fn::Join": {
                List<Object> parts = argumentList(function, argument);
                List<String> items = new ArrayList<>();
                for (Object item : SamTemplate.list(resolve(parts.get(1)))) {
                    items.add(String.valueOf(item));
                }
                return String.join(String.valueOf(parts.get(0)), items);
            }
            case "Fn::Select": {
                List<Object> parts = argumentList(function, argument);
                int index = Integer.parseInt(String.valueOf(resolve(parts.get(0))));
                return SamTemplate.list(resolve(parts.get(1))).get(index);
            }
            case "Fn::Split": {
                List<Object> parts = argumentList(function, argument);
                String delimiter = String.valueOf(parts.get(0));
                return List.of(resolveString(parts.get(1)).split(Pattern.quote(delimiter), -1));
            }
            default:
                throw new IllegalArgumentException(function + " is not supported by the local platform");
        }
    }

    private Object sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = String.valueOf(list.get(0));
            variables = SamTemplate.map(list.size() > 1 ? list.get(1) : null);
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String expression = matcher.group(1);
            String replacement;
            if (expression.startsWith("!")) {
                replacement = "${" + expression.substring(1) + "}";
            } else if (variables.containsKey(expression)) {
                replacement = resolveString(variables.get(expression));
            } else if (expression.contains(".") && !expression.startsWith("AWS::")) {
                String[] parts = expression.split("\\.", 2);
                replacement = String.valueOf(getAtt(parts[0], parts[1]));
            } else {
                replacement = String.valueOf(ref(expression));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private List<Object> argumentList(String function, Object argument) {
        List<Object> parts = SamTemplate.list(argument);
        if (parts.size() < 2) {
            throw new IllegalArgumentException(function + " needs two arguments: " + argument);
        }
        return parts;
    }

    private String parameterValue(String name) {
        String override = parameterOverrides.get(name);
        if (override != null) {
            return override;
        }
        Object fallback = SamTemplate.map(template.parameters().get(name)).get("Default");
        if (fallback == null) {
            throw new IllegalArgumentException("template parameter " + name + " has no default and no local value");
        }
        return String.valueOf(fallback);
    }

    private Resource requireResource(String logicalId) {
        Resource resource = template.resource(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in " + template.path());
        }
        return resource;
    }
}
