package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the converter refuses to write into, and the lock that keeps two converters off one target. */
class TargetChecksTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir), Fixtures.address(dir, "other"));
    }

    private String refusal(DatabaseAddress source, DatabaseAddress target) {
        return assertThrows(KmsUsageException.class, () -> Fixtures.convert(source, target, 5, Strategy.CHUNKED)).getMessage();
    }

    private static void execute(DatabaseAddress address, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(address.url() + ";create=true")) {
            for (String statement : sql) {
                Sql.execute(c, statement);
            }
        }
    }

    @Test
    void aTargetHoldingLegacyTablesIsRefused() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        assertEquals(Messages.format(Messages.TARGET_IS_KMS50, source.display()), refusal(source, source));
    }

    @Test
    void aTargetWithTablesOfItsOwnIsRefusedNamingThemAndLeftUnchanged() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        execute(target, "CREATE TABLE APP.NOTES (ID INTEGER)", "CREATE TABLE APP.ARCHIVE (ID INTEGER)");

        assertEquals(Messages.format(Messages.TARGET_HAS_OTHER_TABLES, target.display(), "APP.ARCHIVE, APP.NOTES"), refusal(source, target));
        try (Connection c = Fixtures.open(target)) {
            assertEquals(java.util.Set.of(), dev.kmsgate.kms.store.Schemas.tables(c, Kms55Schema.SCHEMA));
            c.rollback();
        }
    }

    @Test
    void aKms55SchemaWithoutKmsGatesRecordIsRefused() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        execute(target, "CREATE SCHEMA KMS55", "CREATE TABLE KMS55.USERS (USER_ID INTEGER)");

        assertEquals(Messages.format(Messages.TARGET_NOT_OURS, target.display()), refusal(source, target));
    }

    @Test
    void aGateTargetCopiedWithTheEmptyKms55SchemaIsConvertedAsAFreshOne() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        Database target = Database.gateTargetWithKms55Schema(Fixtures.target(dir));
        try (Lease held = target.lease()) {
            try (Connection c = target.openOrCreate()) {
                assertEquals(Kms55Schema.TABLES, Schemas.tables(c, Kms55Schema.SCHEMA));
                assertEquals(0, Schemas.totalRows(c));
                c.rollback();
            }
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(target.address().url()).close());
            assertEquals("08004", refused.getSQLState(), "the copy requires the gate's credentials, as an empty gate target does");

            ConversionResult result = new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source), target, 5,
                    Strategy.CHUNKED, false, new TransactionLedger(), null));

            assertEquals(ConversionResult.Outcome.CONVERTED, result.outcome());
            VerificationReport report = new Verifier(KmsLog.silent()).verify(new Verifier.Settings(Database.of(source), target, 5, true));
            assertTrue(report.passed(), report.failures()::toString);
        }
    }

    @Test
    void aTargetOfAnotherSourceIsRefusedNamingBothFingerprints() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        ConversionResult first = Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        DatabaseAddress other = Fixtures.address(dir, "other");
        new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(other.as("database")),
                new Profile(5, 1, 0, 0, 0, 0, 9L), false));
        String otherFingerprint = ConversionPlan.of(Database.of(other), 5, Strategy.CHUNKED).source().shortFingerprint();

        assertFalse(otherFingerprint.equals(first.source().shortFingerprint()));
        assertEquals(Messages.format(Messages.TARGET_OTHER_SOURCE, target.display(), first.source().shortFingerprint(), otherFingerprint),
                refusal(other, target));
    }

    @Test
    void aReadOnlyTargetIsRefusedBeforeAnythingIsOpened() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby:classpath:kms55", dir);
        assertTrue(target.isReadOnly());
        assertEquals(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, target.display()), refusal(source, target));
    }

    @Test
    void aTargetLockedByAnotherConverterIsRefusedAndResumedOnceTheLockIsGone() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        TransactionLedger crashing = new TransactionLedger();
        crashing.crashAtCommit(3);
        assertThrows(StoreException.class, () -> new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source),
                Database.of(target), 5, Strategy.CHUNKED, false, crashing, null)));

        // a lease of our own, or the refused run's would shut the database down under the lock's connection
        try (Lease lease = Database.of(target).lease(); Connection other = Fixtures.open(target)) {
            Sql.execute(other, Kms55Schema.LOCK);
            assertEquals(Messages.format(Messages.CONVERSION_RUNNING, target.display()), refusal(source, target));
            other.rollback();
        }
        assertEquals(ConversionResult.Outcome.RESUMED, Fixtures.convert(source, target, 5, Strategy.CHUNKED).outcome());
        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void oneJvmTakesATargetsLockOnceAtATime() {
        DatabaseAddress target = Fixtures.target(dir);
        ConversionLock first = ConversionLock.acquire(target);
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> ConversionLock.acquire(target));
        assertEquals(Messages.format(Messages.CONVERSION_RUNNING, target.display()), refused.getMessage());
        first.close();
        first.close(); // closing twice is harmless
        ConversionLock.acquire(target).close();
    }

    @Test
    void aFinishedTargetIsLeftAloneSayingWhenItFinishedOrThatTheTimeWasNotRecorded() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(6, 2, 0, 1, 0, 0, 3L));
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        java.sql.Timestamp finished;
        try (Connection c = Fixtures.open(target)) {
            finished = dev.kmsgate.kms.store.ConversionRecord.read(c).finishedAt();
            c.rollback();
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        ConversionResult again = new Converter(Fixtures.logTo(lines)).convert(ConversionSettings.of(source, target, 5, Strategy.CHUNKED));
        assertEquals(java.util.List.of(Messages.format(Messages.TARGET_ALREADY_FINISHED, target.display(),
                finished.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))), lines);
        assertEquals(java.util.List.of(ConversionResult.Outcome.ALREADY_FINISHED, 0L, 0L, 0L, 0L, 0L),
                java.util.List.of(again.outcome(), again.rowChanges(), again.transactions(), again.largestTransaction(),
                        again.revokedCertificates(), again.unmatchedRevocations()));

        try (Connection c = Fixtures.open(target)) {
            Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET FINISHED_AT = NULL");
            c.commit();
        }
        lines.clear();
        new Converter(Fixtures.logTo(lines)).convert(ConversionSettings.of(source, target, 5, Strategy.CHUNKED));
        assertEquals(java.util.List.of(Messages.format(Messages.TARGET_ALREADY_FINISHED, target.display(), "at an unrecorded time")), lines);
        try (Connection c = Fixtures.open(target)) {
            assertEquals(1L, Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.KMS_CONVERSION_RUN"), "a finished target got another run");
            c.rollback();
        }
    }
}
