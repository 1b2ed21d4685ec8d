package dev.ioserverless.local.emulators;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DynamoDB Local loads SQLite through sqlite4java, whose native libraries arrive as separate
 * Maven artifacts. The build copies them into {@code lib/} beside the runnable jar (and into
 * {@code target/lib} for tests); this points {@code sqlite4java.library.path} there.
 */
final class NativeLibraries {
    private static final String PROPERTY = "sqlite4java.library.path";

    private NativeLibraries() {
    }

    static synchronized void configureSqlite() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        for (Path candidate : candidates()) {
            if (candidate != null && containsSqlite(candidate)) {
                System.setProperty(PROPERTY, candidate.toAbsolutePath().toString());
                return;
            }
        }
        throw new IllegalStateException("sqlite4java native libraries not found: build with 'mvn package' "
                + "(they are copied to infra/target/lib) or set -D" + PROPERTY);
    }

    private static Path[] candidates() {
        Path codeDir = null;
        try {
            Path code = Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            codeDir = Files.isDirectory(code) ? code.getParent() : code.getParent();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory candidates
        }
        return new Path[] {
            codeDir == null ? null : codeDir.resolve("lib"),
            Path.of("infra", "target", "lib"),
            Path.of("target", "lib"),
        };
    }

    private static boolean containsSqlite(Path dir) {
        File[] files = dir.toFile().listFiles((d, name) -> name.contains("sqlite4java")
                && (name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll")));
        return files != null && files.length > 0;
    }
}
