package dev.kmsgate.kms.robust;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Mounts a small tmpfs for tests that need a real full or read-only file system. It needs root
 * (or CAP_SYS_ADMIN); where it cannot mount, the test is skipped with the reason, never passed.
 */
final class TmpFs {

    private TmpFs() {
    }

    static void mountOrSkip(Path directory, String options) throws IOException, InterruptedException {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Assumptions.assumeTrue(mount.waitFor() == 0, () -> "cannot mount a tmpfs here (needs root): " + output);
    }

    static void unmount(Path directory) throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", directory.toString()).redirectErrorStream(true).start();
        umount.getInputStream().readAllBytes();
        umount.waitFor();
    }
}
