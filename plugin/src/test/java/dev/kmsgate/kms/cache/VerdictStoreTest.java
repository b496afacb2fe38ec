package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.gate.GateSources;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.FileClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's bound: beyond its limit the least recently used verdicts and sources go first, never a source in use. */
class VerdictStoreTest {

    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    private Path verdict(String key, int megabytes, String used) throws IOException {
        Path file = dir.resolve("verdicts").resolve(key + ".json");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[megabytes * MB]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(used)));
        return file;
    }

    private Path source(String name, int megabytes, String used) throws IOException {
        Path source = dir.resolve("sources").resolve(GateSources.PROFILE_PREFIX + name);
        Files.createDirectories(source.resolve("seg0"));
        Files.write(source.resolve("seg0").resolve("c10.dat"), new byte[megabytes * MB]);
        Files.writeString(source.resolveSibling(source.getFileName() + ".ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse(used)));
        return source;
    }

    @Test
    void beyondItsLimitTheLeastRecentlyUsedGoFirstUntilItFits() throws IOException {
        Path oldVerdict = verdict("a", 2, "2026-01-01T00:00:00Z");
        Path oldSource = source("0000000000000001", 3, "2026-02-01T00:00:00Z");
        Path newVerdict = verdict("b", 2, "2026-03-01T00:00:00Z");
        Path newSource = source("0000000000000002", 3, "2026-04-01T00:00:00Z");
        List<String> log = new ArrayList<>();

        long freed = new VerdictStore(dir, 6L * MB, Fixtures.levelledLogTo(log)).evict();

        assertEquals(5L * MB, freed); // the CA files beside the sources are not counted: a few hundred bytes each
        assertFalse(Files.exists(oldVerdict));
        assertFalse(Files.exists(oldSource));
        assertFalse(Files.exists(oldSource.resolveSibling(oldSource.getFileName() + ".ca.pem")));
        assertTrue(Files.exists(newVerdict));
        assertTrue(Files.isDirectory(newSource));
        assertEquals(List.of("[INFO] KMS Gate's store " + dir.toAbsolutePath() + ": evicted 5 MB of the least recently used verdicts and sources (limit 6 MB)."),
                log);
    }

    @Test
    void withinItsLimitNothingGoes() throws IOException {
        Path verdict = verdict("a", 1, "2026-01-01T00:00:00Z");
        Path source = source("0000000000000001", 1, "2026-01-01T00:00:00Z");
        List<String> log = new ArrayList<>();

        assertEquals(0, new VerdictStore(dir, 6L * MB, Fixtures.levelledLogTo(log)).evict());
        assertTrue(Files.exists(verdict));
        assertTrue(Files.isDirectory(source));
        assertEquals(List.of(), log);
    }

    @Test
    void aSourceInUseIsNeverEvicted() throws IOException {
        Path held = source("0000000000000001", 3, "2026-01-01T00:00:00Z");
        Path free = source("0000000000000002", 3, "2026-02-01T00:00:00Z");
        String url = DatabaseAddress.parse("source", held.toString(), dir).url();

        try (FileClaim inUse = FileClaim.claim(GateSources.lockFile(dir.resolve("sources"), url))) {
            new VerdictStore(dir, 1L * MB, Fixtures.levelledLogTo(new ArrayList<>())).evict();
        }

        assertTrue(Files.isDirectory(held), "a source in use was evicted");
        assertFalse(Files.exists(free));
    }

    @Test
    void theStoresSecretIsMadeOnceReadableByItsOwnerAloneAndKept() throws IOException {
        byte[] first = new VerdictStore(dir, MB, Fixtures.levelledLogTo(new ArrayList<>())).secret();
        byte[] again = new VerdictStore(dir, MB, Fixtures.levelledLogTo(new ArrayList<>())).secret();

        assertEquals(32, first.length);
        assertTrue(java.util.Arrays.equals(first, again), "the secret changed between two uses of one store");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))));
        assertFalse(java.util.Arrays.equals(first, new VerdictStore(dir.resolve("other"), MB, Fixtures.levelledLogTo(new ArrayList<>())).secret()));
    }

    @Test
    void aSizeLimitBelowOneMegabyteIsRefusedNamingTheParameterAndTheDefault() {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> VerdictStore.open(dir, 0, Fixtures.levelledLogTo(new ArrayList<>())));
        assertEquals("<cacheSizeLimit> is 0, but must be at least 1 (megabytes). Set the most disk KMS Gate's store may take (default 2048).",
                refused.getMessage());
    }

    @Test
    void aStoreWhereAFileStandsIsRefusedNamingTheDirectoryAndTheFix() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> VerdictStore.open(file.resolve("store"), 2048, Fixtures.levelledLogTo(new ArrayList<>())));
        assertTrue(refused.getMessage().startsWith("<cacheDirectory> is " + file.resolve("store") + ", where KMS Gate cannot keep its store ("),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith("). Point -Dkms.cacheDirectory at a directory this build may write."), refused.getMessage());
    }
}
