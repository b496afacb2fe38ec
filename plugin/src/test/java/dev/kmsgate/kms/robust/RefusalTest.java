package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.LoopbackServer;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kmsgate.kms.robust.UserErrors.assertReadable;
import static dev.kmsgate.kms.robust.UserErrors.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets the converter must refuse, saying why and what to do, and leave unchanged: a conversion
 * of another source, a KMS55 schema it did not write, a database with other content, a second
 * conversion running into the same target (in one JVM, and from another client through a Derby
 * Network Server), and a finished target, which is reported and left alone unless restart is set.
 */
class RefusalTest extends SharedDirtySource {

    @AfterEach
    void sourceIsUnchanged() {
        Fixtures.shutdown(source, Fixtures.target(dir));
        assertSourceUnchanged();
    }

    private static String fingerprint(DatabaseAddress database) throws Exception {
        try (Connection c = Databases.openReadOnly(database, Credentials.NONE)) {
            String fingerprint = SourceFacts.read(c).shortFingerprint();
            c.rollback();
            return fingerprint;
        }
    }

    private static String everything(DatabaseAddress target) {
        Fixtures.shutdown(target);
        String digest = Tables.digest(Tables.read(target, Tables.KMS55_ALL));
        Fixtures.shutdown(target);
        return digest;
    }

    @Test
    void aTargetHoldingAConversionOfAnotherSourceIsRefusedUntilRestartIsSet() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 50, Strategy.CHUNKED);
        DatabaseAddress other = DatabaseAddress.parse("source", dir.resolve("other50").toString(), dir);
        new Generator(KmsLog.silent()).generate(new Generator.Settings(
                Database.of(other.as("database")), new Profile(12, 3, 1, 1, 2, 1, 99L), false));
        String before = everything(target);

        assertUserError(Messages.format(Messages.TARGET_OTHER_SOURCE, target.display(), fingerprint(source), fingerprint(other)),
                () -> Fixtures.convert(other, target, 50, Strategy.CHUNKED));
        assertEquals(before, everything(target), "a refused target changed");

        ConversionResult restarted = new Converter(KmsLog.silent()).convert(
                new ConversionSettings(Database.of(other), Database.of(target), 50, Strategy.CHUNKED, true, null, null));
        assertEquals(ConversionResult.Outcome.CONVERTED, restarted.outcome());
        VerificationReport report = Fixtures.verify(other, target);
        assertTrue(report.passed(), () -> report.failures().toString());
        Fixtures.shutdown(other);
    }

    @Test
    void aKms55SchemaWeDidNotWriteIsRefusedAndLeftAlone() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        try (Connection c = Databases.openOrCreate(target, Credentials.NONE)) {
            Sql.execute(c, "CREATE SCHEMA KMS55");
            Sql.execute(c, "CREATE TABLE KMS55.CERTIFICATES (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY)");
            Sql.update(c, "INSERT INTO KMS55.CERTIFICATES VALUES ('beef')");
            c.commit();
        }
        Map<String, String> theirs = Map.of("KMS55.CERTIFICATES", "SERIAL");
        Fixtures.shutdown(target);
        String before = Tables.digest(Tables.read(target, theirs));
        assertUserError(Messages.format(Messages.TARGET_NOT_OURS, target.display()),
                () -> Fixtures.convert(source, target, 50, Strategy.CHUNKED));
        Fixtures.shutdown(target);
        assertEquals(before, Tables.digest(Tables.read(target, theirs)));
    }

    @Test
    void aDatabaseWithOtherContentIsNotATarget() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        try (Connection c = Databases.openOrCreate(target, Credentials.NONE)) {
            Sql.execute(c, "CREATE TABLE APP.INVENTORY (ID INTEGER NOT NULL PRIMARY KEY)");
            c.commit();
        }
        assertUserError(Messages.format(Messages.TARGET_HAS_OTHER_TABLES, target.display(), "APP.INVENTORY"),
                () -> Fixtures.convert(source, target, 50, Strategy.CHUNKED));

        DatabaseAddress legacyAsTarget = DatabaseAddress.parse("target", source.display(), dir);
        assertUserError(Messages.format(Messages.TARGET_IS_KMS50, source.display()),
                () -> Fixtures.convert(source, legacyAsTarget, 50, Strategy.CHUNKED));
    }

    @Test
    void aFinishedTargetIsReportedAndLeftUnchangedUnlessRestartIsSet() {
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 50, Strategy.CHUNKED);
        String before = everything(target);

        List<String> lines = new ArrayList<>();
        ConversionResult again = new Converter(logTo(lines)).convert(ConversionSettings.of(source, target, 50, Strategy.CHUNKED));
        assertEquals(ConversionResult.Outcome.ALREADY_FINISHED, again.outcome());
        assertEquals(0, again.rowChanges());
        assertEquals(1, lines.size(), lines::toString);
        String prefix = Messages.format(Messages.TARGET_ALREADY_FINISHED, target.display(), "@").split("@")[0];
        assertTrue(lines.get(0).startsWith(prefix), lines::toString);
        assertTrue(lines.get(0).matches(".*\\(finished \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\); it is left unchanged\\. .*"), lines::toString);
        assertReadable(lines.get(0));
        assertEquals(before, everything(target), "a finished target changed");

        ConversionResult restarted = new Converter(KmsLog.silent()).convert(
                new ConversionSettings(Database.of(source), Database.of(target), 50, Strategy.CHUNKED, true, null, null));
        assertEquals(ConversionResult.Outcome.CONVERTED, restarted.outcome());
        try (Connection c = Fixtures.open(target)) {
            assertEquals(1L, Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.KMS_CONVERSION_RUN"), "the old runs were discarded");
            c.rollback();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(Fixtures.verify(source, target).passed());
    }

    @Test
    void anUnfinishedConversionIsResumedOnlyWithItsOwnStrategy() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 50, Strategy.CHUNKED);
        try (Connection c = Fixtures.open(target)) {
            Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET STATE = 'CONVERTING', FINISHED_AT = NULL");
            c.commit();
        }
        assertUserError(Messages.format(Messages.TARGET_OTHER_STRATEGY, target.display(), "chunked", "single-transaction", "chunked"),
                () -> Fixtures.convert(source, target, 50, Strategy.SINGLE_TRANSACTION));
    }

    @Test
    void aSecondConversionIntoTheSameTargetInOneJvmIsRefusedWhileTheFirstRuns() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        assertSecondConversionRefused(target, target);
        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    /**
     * Two clients of one Derby Network Server: the second names the server by another host name,
     * so the in-JVM registry cannot tell it is the same target; the lock on
     * KMS55.KMS_CONVERSION_LOCK, held by the first converter for its whole run, refuses it.
     */
    @Test
    void aSecondConversionThroughTheNetworkServerIsRefusedByTheDatabaseLock() throws Exception {
        try (LoopbackServer server = LoopbackServer.start()) {
            Path path = dir.resolve("kms55");
            DatabaseAddress first = DatabaseAddress.parse("target", server.url("127.0.0.1", path), dir);
            DatabaseAddress second = DatabaseAddress.parse("target", server.url("localhost", path), dir);
            assertSecondConversionRefused(first, second);
            VerificationReport report = Fixtures.verify(source, first);
            assertTrue(report.passed(), () -> report.failures().toString());
        } finally {
            Fixtures.shutdown(Fixtures.target(dir));
        }
    }

    /** Holds the first conversion right after a commit, runs the second, then lets the first finish. */
    private void assertSecondConversionRefused(DatabaseAddress first, DatabaseAddress second) throws Exception {
        CountDownLatch converting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KmsLog pauseAfterFirstChunk = new KmsLog() {
            @Override public void info(String message) {
                if (message.startsWith("convert ") && converting.getCount() > 0) {
                    converting.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            @Override public void warn(String message) { }
            @Override public void debug(String message) { }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<ConversionResult> running = executor.submit(() -> new Converter(pauseAfterFirstChunk).convert(
                    new ConversionSettings(Database.of(source), Database.of(first), 5, Strategy.CHUNKED, false, null, Duration.ZERO)));
            assertTrue(converting.await(60, TimeUnit.SECONDS), "the first conversion never committed a chunk");
            assertUserError(Messages.format(Messages.CONVERSION_RUNNING, second.display()),
                    () -> Fixtures.convert(source, second, 5, Strategy.CHUNKED));
            release.countDown();
            assertEquals(ConversionResult.Outcome.CONVERTED, running.get(60, TimeUnit.SECONDS).outcome());
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    private static KmsLog logTo(List<String> lines) {
        return new KmsLog() {
            @Override public void info(String message) { lines.add(message); }
            @Override public void warn(String message) { lines.add(message); }
            @Override public void debug(String message) { }
        };
    }
}
