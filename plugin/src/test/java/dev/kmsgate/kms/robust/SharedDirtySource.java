package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.store.DatabaseAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One dirty legacy source per test class, generated once, with a digest of its four tables so
 * each test can prove the source stayed logically unchanged. Test classes run one after another.
 */
abstract class SharedDirtySource {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static DatabaseAddress source;
    static String sourceDigest;

    @BeforeAll
    static void generateSource() {
        source = Fixtures.generate(shared, Fixtures.DIRTY);
        Fixtures.shutdown(source);
        sourceDigest = Tables.sourceDigest(source);
        Fixtures.shutdown(source);
    }

    /** Fails if any row of the source's four tables changed. */
    static void assertSourceUnchanged() {
        Fixtures.shutdown(source);
        assertEquals(sourceDigest, Tables.sourceDigest(source), "the source's four tables changed");
        Fixtures.shutdown(source);
    }
}
