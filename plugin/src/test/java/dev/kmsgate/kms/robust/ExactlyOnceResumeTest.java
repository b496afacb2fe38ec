package dev.kmsgate.kms.robust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A few trials of the kill harness in the normal build: conversions killed with SIGKILL at seeded
 * random moments resume to exactly the result of an uninterrupted run. The soak ({@link Soak},
 * {@code -Psoak}) runs hundreds.
 */
class ExactlyOnceResumeTest {

    @TempDir
    Path dir;

    @Test
    void conversionsKilledAtRandomMomentsResumeToExactlyTheUninterruptedResult() throws Exception {
        KillHarness harness = new KillHarness(dir);
        List<KillHarness.KillPoint> midRun = new ArrayList<>();
        for (int trial = 1; trial <= 3; trial++) {
            KillHarness.Trial result = harness.run(trial, 1000 + trial);
            assertEquals(null, result.failure(), () -> result.toString());
            assertEquals(0, result.lost(), () -> "lost rows: " + result);
            assertEquals(0, result.duplicated(), () -> "duplicated rows: " + result);
            assertEquals(List.of(), result.checkProblems(), () -> "SYSCS_CHECK_TABLE: " + result);
            assertTrue(result.sourceUnchanged(), () -> "the source changed: " + result);
            result.kills().stream()
                    .filter(k -> k.committedRows() > 0 && k.committedRows() < harness.referenceRows())
                    .forEach(midRun::add);
        }
        // the test must have interrupted real work, or it proves nothing
        assertTrue(!midRun.isEmpty(), "no kill landed in the middle of a conversion");
    }
}
