package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kmsgate.kms.robust.UserErrors.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: each case gets its exact message (a Messages constant), and the source stays
 * logically unchanged (a digest of its four tables before and after).
 */
class BadInputTest extends SharedDirtySource {

    @AfterEach
    void sourceIsUnchanged() {
        Fixtures.shutdown(source);
        assertSourceUnchanged();
    }

    @AfterAll
    static void shutdown() {
        Fixtures.shutdown(source);
    }

    private static ConversionResult convert(DatabaseAddress from, DatabaseAddress to, int capacity) {
        return Fixtures.convert(from, to, capacity, Strategy.CHUNKED);
    }

    @Test
    void aMissingSourcePathIsNamed() {
        DatabaseAddress missing = Fixtures.address(dir, "nowhere");
        assertUserError(Messages.format(Messages.DATABASE_MISSING, "source", missing.display()),
                () -> convert(DatabaseAddress.parse("source", missing.display(), dir), Fixtures.target(dir), 10));
        assertFalse(Files.exists(dir.resolve("kms55")), "a target was created for a missing source");
    }

    @Test
    void aDirectoryThatIsNotADerbyDatabaseIsRefusedAndLeftAlone() throws IOException {
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("readme.txt"), "not a database");
        DatabaseAddress address = DatabaseAddress.parse("source", notes.toString(), dir);
        assertUserError(Messages.format(Messages.NOT_A_DERBY_DATABASE, "source", notes),
                () -> convert(address, Fixtures.target(dir), 10));
        try (var files = Files.list(notes)) {
            assertEquals(List.of(notes.resolve("readme.txt")), files.toList());
        }
        assertEquals("not a database", Files.readString(notes.resolve("readme.txt")));
    }

    @Test
    void aDerbyDatabaseWithoutTheKms50TablesNamesWhatIsMissing() throws Exception {
        DatabaseAddress partial = DatabaseAddress.parse("source", dir.resolve("partial").toString(), dir);
        try (Connection c = Databases.openOrCreate(partial, Credentials.NONE)) {
            Sql.execute(c, "CREATE SCHEMA KMS50");
            Sql.execute(c, "CREATE TABLE KMS50.KM_USER (USER_ID INTEGER NOT NULL PRIMARY KEY)");
            Sql.execute(c, "CREATE TABLE KMS50.KM_CERT (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY)");
            Sql.update(c, "INSERT INTO KMS50.KM_USER VALUES (7)");
            c.commit();
        }
        Fixtures.shutdown(partial);
        String before = Tables.digest(Tables.read(partial, Map.of("KMS50.KM_USER", "USER_ID", "KMS50.KM_CERT", "SERIAL")));
        assertUserError(Messages.format(Messages.SOURCE_NOT_KMS50, partial.display(), "KMS50.KM_KEY, KMS50.KM_CRL"),
                () -> convert(partial, Fixtures.target(dir), 10));
        assertEquals(before, Tables.digest(Tables.read(partial, Map.of("KMS50.KM_USER", "USER_ID", "KMS50.KM_CERT", "SERIAL"))));
        Fixtures.shutdown(partial);

        DatabaseAddress empty = DatabaseAddress.parse("source", dir.resolve("empty").toString(), dir);
        Databases.openOrCreate(empty, Credentials.NONE).close();
        assertUserError(Messages.format(Messages.SOURCE_NOT_KMS50, empty.display(), "KMS50.KM_USER, KMS50.KM_CERT, KMS50.KM_KEY, KMS50.KM_CRL"),
                () -> convert(empty, Fixtures.target(dir), 10));
        Fixtures.shutdown(empty);
        assertFalse(Files.exists(dir.resolve("kms55")));
    }

    @Test
    void aKms55DatabaseGivenAsTheSourceAsksWhetherTheyWereSwapped() {
        DatabaseAddress converted = Fixtures.target(dir);
        convert(source, converted, 50);
        Fixtures.shutdown(converted);
        String before = Tables.digest(Tables.read(converted, Tables.KMS55_ALL));
        DatabaseAddress swapped = DatabaseAddress.parse("source", converted.display(), dir);
        assertUserError(Messages.format(Messages.SOURCE_IS_KMS55, converted.display()),
                () -> convert(swapped, Fixtures.address(dir, "other"), 50));
        assertEquals(before, Tables.digest(Tables.read(converted, Tables.KMS55_ALL)));
        assertFalse(Files.exists(dir.resolve("other")));
        Fixtures.shutdown(converted);
    }

    @Test
    void aSourceOpenInAnotherProcessIsReportedAsLocked() throws Exception {
        Fixtures.shutdown(source);
        try (ChildJvm holder = ChildJvm.start(HoldOpenMain.class, dir.resolve("derby-child.log"), source.display())) {
            assertEquals(1, holder.awaitLines(HoldOpenMain.HOLDING::equals, 1, 60_000), () -> holder.lines().toString());
            KmsUsageException error = assertUserError(Messages.format(Messages.DATABASE_LOCKED, source.display(), Databases.lockOf(source)),
                    () -> convert(source, Fixtures.target(dir), 10));
            assertTrue(error.getCause() instanceof java.sql.SQLException s && Sql.hasState(s, "XSDB6"), () -> String.valueOf(error.getCause()));
        }
        assertFalse(Files.exists(dir.resolve("kms55")));
    }

    @Test
    void aTargetOpenInAnotherProcessIsReportedAsLocked() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        convert(source, target, 50);
        Fixtures.shutdown(source, target);
        try (ChildJvm holder = ChildJvm.start(HoldOpenMain.class, dir.resolve("derby-child.log"), target.display())) {
            assertEquals(1, holder.awaitLines(HoldOpenMain.HOLDING::equals, 1, 60_000), () -> holder.lines().toString());
            assertEquals("its lock file " + target.directory().orElseThrow().resolve("db.lck"), Databases.lockOf(target));
            assertUserError(Messages.format(Messages.DATABASE_LOCKED, target.display(), Databases.lockOf(target)), () -> convert(source, target, 10));
        }
        Fixtures.shutdown(target);
    }

    @Test
    void aTransactionCapacityBelowOneIsRefusedBeforeAnythingIsOpened() {
        for (int capacity : new int[] {0, -1}) {
            assertUserError(Messages.format(Messages.CAPACITY_TOO_SMALL, capacity), () -> convert(source, Fixtures.target(dir), capacity));
        }
        assertFalse(Files.exists(dir.resolve("kms55")));
    }

    @Test
    void anUnknownStrategyNamesTheAllowedOnes() {
        assertUserError(Messages.format(Messages.UNKNOWN_STRATEGY, "fastest", "chunked, single-transaction"), () -> Strategy.parse("fastest"));
        assertUserError(Messages.format(Messages.UNKNOWN_STRATEGY, "null", "chunked, single-transaction"), () -> Strategy.parse(null));
    }

    @Test
    void aTargetBelowAFileCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        DatabaseAddress target = DatabaseAddress.parse("target", file.resolve("kms55").toString(), dir);
        assertUserError(Messages.format(Messages.TARGET_NOT_WRITABLE, file.resolve("kms55"), file + " is not a directory"),
                () -> convert(source, target, 10));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aTargetThatIsAFileCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("kms55"), "x");
        assertUserError(Messages.format(Messages.TARGET_NOT_WRITABLE, file, "it is a file"), () -> convert(source, Fixtures.target(dir), 10));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aTargetOnAReadOnlyFileSystemCannotBeWritten() throws Exception {
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        TmpFs.mountOrSkip(readOnly, "ro,size=1m");
        try {
            Path target = readOnly.resolve("kms55");
            assertUserError(Messages.format(Messages.TARGET_NOT_WRITABLE, target, readOnly + " is not writable"),
                    () -> convert(source, DatabaseAddress.parse("target", target.toString(), dir), 10));
        } finally {
            TmpFs.unmount(readOnly);
        }
    }

    @Test
    void aTargetOnAFileSystemTooFullToCreateItIsRefusedAndLeavesNothingBehind() throws Exception {
        Path tiny = Files.createDirectories(dir.resolve("tiny"));
        TmpFs.mountOrSkip(tiny, "size=256k");
        try {
            Path target = tiny.resolve("kms55");
            assertUserError(Messages.format(Messages.TARGET_NOT_WRITABLE, target, "its file system is full"),
                    () -> convert(source, DatabaseAddress.parse("target", target.toString(), dir), 10));
            try (var left = Files.list(tiny)) {
                assertEquals(List.of(), left.toList(), "neither the target nor its staging directory may stay");
            }
        } finally {
            TmpFs.unmount(tiny);
        }
    }

    /**
     * A real full disk: the target lives on a 16 MB tmpfs, and a filler file takes all but 32 KB
     * of it once the first chunk is committed. Derby fails to write a page (XSDG1), the committed
     * prefix survives, and after the filler is removed a new run resumes and finishes exactly.
     */
    @Test
    void aDiskFillingUpKeepsTheCommittedPrefixAndTheResumeAfterFreeingSpaceCompletes() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        TmpFs.mountOrSkip(small, "size=16m");
        try {
            DatabaseAddress target = DatabaseAddress.parse("target", small.resolve("kms55").toString(), dir);
            Path filler = small.resolve("filler");
            AtomicBoolean filled = new AtomicBoolean();
            KmsLog fillOnFirstCommit = new KmsLog() {
                @Override public void info(String message) {
                    if (message.startsWith("convert ") && filled.compareAndSet(false, true)) {
                        fill(filler, 32 * 1024);
                    }
                }
                @Override public void warn(String message) { }
                @Override public void debug(String message) { }
            };
            ConversionSettings settings = new ConversionSettings(Database.of(source), Database.of(target), 3, Strategy.CHUNKED, false, null, Duration.ZERO);
            KmsUsageException error = assertUserError(Messages.format(Messages.DISK_FULL, target.display()),
                    () -> new Converter(fillOnFirstCommit).convert(settings));
            assertTrue(Sql.isDiskFull(error));
            assertTrue(filled.get());

            Fixtures.shutdown(target);
            long committed;
            try (Connection c = Fixtures.open(target)) {
                committed = Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.USERS") + Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.CERTIFICATES");
                c.rollback();
            }
            assertTrue(committed >= 3 && committed < Fixtures.DIRTY.users() + Fixtures.DIRTY.certificates(), committed + " rows committed");

            Files.delete(filler);
            ConversionResult resumed = new Converter(KmsLog.silent()).convert(settings);
            assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
            VerificationReport report = Fixtures.verify(source, target);
            assertTrue(report.passed(), () -> report.failures().toString());
            assertEquals(List.of(), Tables.checkTables(target));
            Fixtures.shutdown(target);
        } finally {
            TmpFs.unmount(small);
        }
    }

    private static void fill(Path filler, long leaveFree) {
        try {
            long usable = Files.getFileStore(filler.getParent()).getUsableSpace();
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(filler)) {
                for (long written = 0; written < usable - leaveFree; written += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, usable - leaveFree - written));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
