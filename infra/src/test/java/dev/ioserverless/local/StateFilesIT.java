package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo.json holds live keys and the callback secret: only its owner reads it, or enters the state directory. */
class StateFilesIT {

    @Test
    void demoJsonIsReadableByItsOwnerOnly() throws Exception {
        Path demo = TestPlatform.stateDir().resolve("demo.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(demo)));
    }

    @Test
    void theStateDirectoryIsMadeForItsOwnerOnly(@TempDir Path parent) throws Exception {
        Path state = parent.resolve("a").resolve(".io-local");
        LocalPlatform.createPrivateDirectory(state);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        // An existing directory is narrowed too.
        Path existing = Files.createDirectories(parent.resolve("b"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalPlatform.createPrivateDirectory(existing);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
    }
}
