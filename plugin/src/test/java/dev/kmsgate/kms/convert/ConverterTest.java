package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.Invariant;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConverterTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    @Test
    void dirtyDatabaseConvertsUnderSmallCapacityAndVerifies() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult result = new Converter(KmsLog.silent()).convert(
                new ConversionSettings(Database.of(source), Database.of(target), 7, Strategy.CHUNKED, false, ledger, null));

        assertEquals(ConversionResult.Outcome.CONVERTED, result.outcome());
        assertEquals(7, ledger.largestTransaction());
        assertEquals(0, ledger.refusedTransactions());
        assertEquals(25, result.revokedCertificates());
        // 6 unknown serials + 3 revoked certificates of deleted users (orphans 1, 4, 7)
        assertEquals(9, result.unmatchedRevocations());
        assertEquals(9, result.quarantinedCertificates());
        // 4 orphan encryption certificates' keys + 4 keys without certificates
        assertEquals(8, result.quarantinedKeys());

        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
        assertEquals(40, report.result(Invariant.USER_COUNT).actual());
        assertEquals(89, report.result(Invariant.CERTIFICATE_COUNT).actual());
    }

    @Test
    void capacityOfOneStillConverts() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(5, 4, 2, 2, 3, 1, 3L));
        DatabaseAddress target = Fixtures.target(dir);
        TransactionLedger ledger = new TransactionLedger();
        new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source), Database.of(target), 1, Strategy.CHUNKED, false, ledger, null));
        assertEquals(1, ledger.largestTransaction());
        assertTrue(Fixtures.verify(source, target).passed());
    }

    @Test
    void singleTransactionFailsBeyondCapacityNamingCountAndCapacity() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        DatabaseAddress target = Fixtures.target(dir);
        KmsDefectException failure = assertThrows(KmsDefectException.class,
                () -> Fixtures.convert(source, target, 10, Strategy.SINGLE_TRANSACTION));
        assertEquals("Conversion aborted under the transaction capacity: one transaction reached 11 row changes, but the target "
                + "accepts at most 10 (<transactionCapacity>). This is the KB Q193567 defect of strategy 'single-transaction'; "
                + "use strategy 'chunked', which commits at most 10 row changes at a time.", failure.getMessage());

        VerificationReport report = Fixtures.verify(source, target);
        assertEquals(InvariantResult.Status.FAILED, report.result(Invariant.CONVERSION_RECORD).status());
        // not "run it again to resume": the reference defect would only fail again
        assertEquals("the target holds an unfinished 'single-transaction' conversion of this source (state CONVERTING), which applies "
                + "every revocation in one transaction and cannot finish beyond the capacity; convert with strategy chunked and restart",
                report.result(Invariant.CONVERSION_RECORD).detail());
        assertEquals(InvariantResult.Status.SKIPPED, report.result(Invariant.REVOCATION_COUNT).status());

        VerificationReport data = Fixtures.verifyData(source, target);
        assertEquals(InvariantResult.Status.FAILED, data.result(Invariant.REVOCATION_COUNT).status());
        assertEquals(14, data.result(Invariant.REVOCATION_COUNT).expected());
        assertEquals(0, data.result(Invariant.REVOCATION_COUNT).actual());
    }

    @Test
    void singleTransactionWithinCapacitySucceeds() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 8, 3, 2, 0, 0, 5L));
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 10, Strategy.SINGLE_TRANSACTION);
        assertTrue(Fixtures.verify(source, target).passed());
    }

    /** As if a run had been killed after a committed prefix: every row change after the 31st certificate is dropped. */
    private static void keepACommittedPrefix(Connection c) {
        String cut = Sql.queryString(c, "SELECT MIN(SERIAL) FROM (SELECT SERIAL FROM KMS55.CERTIFICATES ORDER BY SERIAL "
                + "OFFSET 30 ROWS) AS T");
        Sql.update(c, "DELETE FROM KMS55.KEY_ARCHIVE WHERE SERIAL >= ?", cut);
        Sql.update(c, "DELETE FROM KMS55.QUARANTINED_KEY WHERE SERIAL >= ?", cut);
        Sql.update(c, "DELETE FROM KMS55.UNMATCHED_REVOCATION WHERE SERIAL >= ?", cut);
        Sql.update(c, "DELETE FROM KMS55.CERTIFICATES WHERE SERIAL > ?", cut);
        Sql.update(c, "DELETE FROM KMS55.QUARANTINED_CERT WHERE SERIAL > ?", cut);
        Sql.update(c, "DELETE FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'");
        Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET STATE = 'CONVERTING', FINISHED_AT = NULL");
    }

    @Test
    void resumeAfterACommittedPrefixFinishesWithTheSameResult() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        try (Connection c = Fixtures.open(target)) {
            keepACommittedPrefix(c);
            c.commit();
        }
        assertEquals(InvariantResult.Status.FAILED, Fixtures.verify(source, target).result(Invariant.CONVERSION_RECORD).status());
        ConversionResult resumed = Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void aResumedRunReportsTheWholeConversionAndItsBookkeepingAgreesWithTheLog() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        ConversionResult whole = Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        long users;
        long certificates;
        long keys;
        long unmatched;
        try (Connection c = Fixtures.open(target)) {
            users = Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.USERS");
            keepACommittedPrefix(c);
            certificates = Sql.queryLong(c, "SELECT (SELECT COUNT(*) FROM KMS55.CERTIFICATES) + (SELECT COUNT(*) FROM KMS55.QUARANTINED_CERT) FROM SYSIBM.SYSDUMMY1");
            keys = Sql.queryLong(c, "SELECT (SELECT COUNT(*) FROM KMS55.KEY_ARCHIVE) + (SELECT COUNT(*) FROM KMS55.QUARANTINED_KEY) FROM SYSIBM.SYSDUMMY1");
            unmatched = Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.UNMATCHED_REVOCATION");
            c.commit();
        }
        List<String> lines = new ArrayList<>();
        ConversionResult resumed = new Converter(Fixtures.logTo(lines)).convert(ConversionSettings.of(source, target, 5, Strategy.CHUNKED));

        // the counts are the whole conversion's, not only what this run wrote
        assertEquals(List.of(whole.revokedCertificates(), whole.unmatchedRevocations(), whole.quarantinedCertificates(), whole.quarantinedKeys()),
                List.of(resumed.revokedCertificates(), resumed.unmatchedRevocations(), resumed.quarantinedCertificates(), resumed.quarantinedKeys()));
        assertTrue(lines.contains(String.format(java.util.Locale.ROOT, "The earlier runs committed %,d users, %,d certificates, %,d keys "
                + "and %,d unmatched revocations; this run goes on after them.", users, certificates, keys, unmatched)), lines::toString);
        try (Connection c = Fixtures.open(target)) {
            // the run's record holds the very numbers the summary line logged
            assertEquals(resumed.rowChanges(), Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_RUN WHERE RUN_NO = 2"));
            assertEquals(resumed.transactions(), Sql.queryLong(c, "SELECT TRANSACTIONS FROM KMS55.KMS_CONVERSION_RUN WHERE RUN_NO = 2"));
            assertEquals(whole.rowChanges(), Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_RUN WHERE RUN_NO = 1"));
            // each phase's row changes are its own tables' rows, over every run
            assertEquals(users, Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'USERS'"));
            assertEquals(Fixtures.DIRTY.certificates() + Fixtures.DIRTY.keys() + whole.unmatchedRevocations(),
                    Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"));
            c.rollback();
        }
    }

    @Test
    void finishedTargetIsLeftUnchanged() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 50, Strategy.CHUNKED);
        ConversionResult again = Fixtures.convert(source, target, 50, Strategy.CHUNKED);
        assertEquals(ConversionResult.Outcome.ALREADY_FINISHED, again.outcome());
        assertEquals(0, again.rowChanges());
    }
}
