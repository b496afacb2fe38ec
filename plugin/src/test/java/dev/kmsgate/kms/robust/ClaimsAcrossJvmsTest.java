package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.store.FileClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two JVMs that each hold one claim and wait for the other's, as two gates do when each converts a
 * case whose source the other's next case needs. It is no deadlock: this JVM lets go of its first
 * claim when its "case" ends. A blocking lock would let the kernel refuse one of the two waits
 * (EDEADLK: it sees two processes holding and waiting); both must get what they wait for.
 */
class ClaimsAcrossJvmsTest {

    @TempDir
    Path dir;

    @Test
    void twoJvmsThatHoldOneClaimEachAndWaitForTheOthersBothGetIt() throws Exception {
        Path x = dir.resolve("x.lock");
        Path y = dir.resolve("y.lock");
        CompletableFuture<Void> mine;
        try (FileClaim heldHere = FileClaim.claim(x);
             ChildJvm child = ChildJvm.start(ClaimBothMain.class, dir.resolve("derby-child.log"), y.toString(), x.toString())) {
            assertEquals(1, child.awaitLines(ClaimBothMain.HOLDING::equals, 1, 60_000), () -> child.lines().toString());
            // this JVM now waits for the child's claim while holding the one the child waits for
            mine = CompletableFuture.runAsync(() -> FileClaim.claim(y).close());
            Thread.sleep(500);
            heldHere.close(); // this JVM's "case" ends
            assertEquals(1, child.awaitLines(ClaimBothMain.BOTH::equals, 1, 60_000), () -> child.lines().toString());
            assertEquals(0, child.waitFor(60_000), () -> child.lines().toString());
        }
        mine.get(60, TimeUnit.SECONDS);
    }
}
