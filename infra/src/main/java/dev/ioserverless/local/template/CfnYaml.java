package dev.ioserverless.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template. The short-form intrinsic tags ({@code !Ref},
 * {@code !GetAtt}, {@code !Sub}, ...) become their long form ({@code {"Ref": ...}},
 * {@code {"Fn::GetAtt": [..]}}), so the rest of the platform sees one shape.
 */
public final class CfnYaml {
    private static final List<String> FUNCTIONS = List.of(
            "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "If", "Not", "Or", "Condition", "GetAtt", "Length", "ToJsonString");

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return (Map<String, Object>) yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(String text) {
        return (Map<String, Object>) yaml().load(text);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new IntrinsicConstructor(options));
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Resource.Attribute is the short form of [Resource, Attribute]
                    value = name.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        }
    }
}
