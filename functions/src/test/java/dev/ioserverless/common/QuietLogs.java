package dev.ioserverless.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.AnnotatedElement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit's extension auto-detection, see junit-platform.properties):
 * the log lines a test writes are kept, not printed. A failed test gets its lines printed after
 * it, for diagnosis; a passing test prints only ERROR lines it did not declare with
 * {@link ExpectedErrors}, so an unexpected error is visible in a quiet build.
 */
public final class QuietLogs implements BeforeEachCallback, AfterEachCallback {
    private static final int MAX_PRINTED = 200;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietLogs.class);

    static {
        TestLogs.install();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("mark", TestLogs.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer mark = context.getStore(NAMESPACE).get("mark", Integer.class);
        if (mark == null) {
            return;
        }
        List<String> lines = TestLogs.since(mark);
        String test = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
        if (context.getExecutionException().isPresent()) {
            List<String> tail = lines.subList(Math.max(0, lines.size() - MAX_PRINTED), lines.size());
            System.out.println("---- log of the failed test " + test + " (" + lines.size() + " lines, last "
                    + tail.size() + " shown)");
            tail.forEach(System.out::println);
            return;
        }
        Set<String> expected = expected(context);
        for (String line : lines) {
            JsonNode node = TestLogs.parse(line);
            if (node != null && "ERROR".equals(node.path("level").asText())
                    && !expected.contains(node.path("event").asText())) {
                System.out.println("unexpected ERROR logged during " + test + ": " + line);
            }
        }
    }

    private static Set<String> expected(ExtensionContext context) {
        Set<String> events = new HashSet<>();
        context.getTestMethod().ifPresent(method -> add(events, method));
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            add(events, type);
        }
        return events;
    }

    private static void add(Set<String> events, AnnotatedElement element) {
        ExpectedErrors annotation = element.getAnnotation(ExpectedErrors.class);
        if (annotation != null) {
            events.addAll(List.of(annotation.value()));
        }
    }
}
