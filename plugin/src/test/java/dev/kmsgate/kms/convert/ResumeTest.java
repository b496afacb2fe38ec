package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run stopped at a chosen commit (the capacity guard's simulated crash: that commit is lost, and
 * the run's connections fail from then on), what exactly it leaves committed, and the run that
 * resumes it. With {@link Fixtures#DIRTY} at capacity 5 a fresh run commits: 1 the conversion
 * record, 2 the run's row, 3 to 10 the 40 users, 11 the USERS phase, 12 to 41 the 146 serial rows
 * (29 chunks of 5 and one of 1), 42 the SERIALS phase, 43 the KEYS phase, 44 the finish, 45 the
 * run's end.
 */
class ResumeTest {

    @TempDir
    Path dir;

    private DatabaseAddress source;
    private DatabaseAddress target;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir), Fixtures.address(dir, "reference"));
    }

    private ConversionSettings settings(int capacity, Strategy strategy, TransactionLedger ledger) {
        return new ConversionSettings(Database.of(source), Database.of(target), capacity, strategy, false, ledger, null);
    }

    /** Runs a conversion that crashes at the given commit, as a killed upgrade would. */
    private void crashAt(long commit, int capacity, Strategy strategy) {
        TransactionLedger ledger = new TransactionLedger();
        ledger.crashAtCommit(commit);
        StoreException crash = assertThrows(StoreException.class,
                () -> new Converter(KmsLog.silent()).convert(settings(capacity, strategy, ledger)));
        assertEquals("Converting into " + target.display() + " failed: The connection is gone: KMS Gate simulated a crash of this "
                + "run (a resume trial). Everything not committed before it is lost. (SQLState 08006)", crash.getMessage());
        assertTrue(ledger.crashed());
        assertEquals(commit - 1, ledger.committedTransactions());
    }

    /** Every row of the serial pass's five tables, as "serial kind table", in the order the pass writes them. */
    static List<String> serialRows(DatabaseAddress address) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = Fixtures.open(address);
             PreparedStatement query = c.prepareStatement("SELECT SERIAL, 0, 'CERTIFICATES' FROM KMS55.CERTIFICATES "
                     + "UNION ALL SELECT SERIAL, 0, 'QUARANTINED_CERT' FROM KMS55.QUARANTINED_CERT "
                     + "UNION ALL SELECT SERIAL, 1, 'KEY_ARCHIVE' FROM KMS55.KEY_ARCHIVE "
                     + "UNION ALL SELECT SERIAL, 1, 'QUARANTINED_KEY' FROM KMS55.QUARANTINED_KEY "
                     + "UNION ALL SELECT SERIAL, 2, 'UNMATCHED_REVOCATION' FROM KMS55.UNMATCHED_REVOCATION ORDER BY 1, 2");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
            }
            c.rollback();
        }
        return rows;
    }

    private static List<String> strings(DatabaseAddress address, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = Fixtures.open(address); PreparedStatement query = c.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            c.rollback();
        }
        return values;
    }

    private static long count(DatabaseAddress address, String sql) throws SQLException {
        try (Connection c = Fixtures.open(address)) {
            long n = Sql.count(c, sql);
            c.rollback();
            return n;
        }
    }

    private static List<Integer> sizes(TransactionLedger ledger) {
        return Arrays.stream(ledger.history().sizes()).boxed().toList();
    }

    /** The sizes of {@code chunks} full chunks of {@code size}, then {@code tail} (none when 0). */
    private static List<Integer> chunks(int chunks, int size, int tail) {
        List<Integer> sizes = new ArrayList<>(java.util.Collections.nCopies(chunks, size));
        if (tail > 0) {
            sizes.add(tail);
        }
        return sizes;
    }

    private static List<Integer> concat(List<Integer>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).collect(Collectors.toList());
    }

    private List<String> referenceSerialRows() throws SQLException {
        DatabaseAddress reference = Fixtures.address(dir, "reference");
        Fixtures.convert(source, reference, 5, Strategy.CHUNKED);
        return serialRows(reference);
    }

    private void assertVerifies() {
        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void aFreshRunCommitsExactlyTheChunksThePlanNames() {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        TransactionLedger ledger = new TransactionLedger();
        new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, ledger));

        // record, run, 40 users, USERS, 146 serial rows, SERIALS, KEYS, finish, end
        assertEquals(concat(List.of(1, 1), chunks(8, 5, 0), List.of(1), chunks(29, 5, 1), List.of(1, 1, 1, 1)), sizes(ledger));
    }

    @Test
    void aRunOnALedgerThatHasCountedEarlierRunsReportsAndRecordsOnlyItsOwnRowChangesAndTransactions() throws Exception {
        // a tool that embeds the core may keep one ledger over several conversions, as the gate keeps one over a crash and its resume
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        DatabaseAddress second = Fixtures.address(dir, "second");
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult first = new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, ledger));
        ConversionResult again = new Converter(KmsLog.silent()).convert(
                new ConversionSettings(Database.of(source), Database.of(second), 5, Strategy.CHUNKED, false, ledger, null));

        // record, run, 40 users, USERS, 146 serial rows, SERIALS, KEYS, finish, end: 193 row changes in 45 transactions, each time
        assertEquals(List.of(193L, 45L), List.of(first.rowChanges(), first.transactions()));
        assertEquals(List.of(193L, 45L), List.of(again.rowChanges(), again.transactions()));
        assertEquals(List.of(386L, 90L), List.of(ledger.committedRowChanges(), ledger.committedTransactions()));
        String recorded = "SELECT TRIM(CAST(ROW_CHANGES AS CHAR(20))) || ' in ' || TRIM(CAST(TRANSACTIONS AS CHAR(20))) FROM KMS55.KMS_CONVERSION_RUN";
        assertEquals(List.of("193 in 45"), strings(target, recorded));
        assertEquals(List.of("193 in 45"), strings(second, recorded));
        Fixtures.shutdown(second);
    }

    @Test
    void aRunStoppedRightAfterTheSerialPhasesFirstCommitKeepsExactlyThatChunkAndResumesAfterIt() throws Exception {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        List<String> all = referenceSerialRows();
        assertEquals(146, all.size());

        crashAt(13, 5, Strategy.CHUNKED);

        assertEquals(all.subList(0, 5), serialRows(target));
        assertEquals(40, count(target, "SELECT COUNT(*) FROM KMS55.USERS"));
        assertEquals(List.of("USERS"), strings(target, "SELECT PHASE FROM KMS55.KMS_CONVERSION_PHASE ORDER BY PHASE"));
        assertEquals(List.of("RUNNING"), strings(target, "SELECT OUTCOME FROM KMS55.KMS_CONVERSION_RUN ORDER BY RUN_NO"));

        TransactionLedger ledger = new TransactionLedger();
        ConversionResult resumed = new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, ledger));

        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        assertEquals(all, serialRows(target));
        // the stale run marked, this run's row, 141 serial rows, SERIALS, KEYS, finish, end
        assertEquals(concat(List.of(1, 1), chunks(28, 5, 1), List.of(1, 1, 1, 1)), sizes(ledger));
        assertEquals(147, resumed.rowChanges());
        assertEquals(List.of("INTERRUPTED", "FINISHED"), strings(target, "SELECT OUTCOME FROM KMS55.KMS_CONVERSION_RUN ORDER BY RUN_NO"));
        assertEquals(146, count(target, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"));
        assertVerifies();
    }

    @Test
    void aRunStoppedRightAfterTheSerialPhasesLastChunkKeepsEveryRowButNotThePhaseRecord() throws Exception {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        List<String> all = referenceSerialRows();

        crashAt(42, 5, Strategy.CHUNKED);

        // the final partial chunk (one row) was committed on its own, before the phase record
        assertEquals(all, serialRows(target));
        assertEquals(List.of("USERS"), strings(target, "SELECT PHASE FROM KMS55.KMS_CONVERSION_PHASE ORDER BY PHASE"));

        TransactionLedger ledger = new TransactionLedger();
        ConversionResult resumed = new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, ledger));

        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        assertEquals(List.of(1, 1, 1, 1, 1, 1), sizes(ledger));
        assertEquals(List.of(25L, 9L, 9L, 8L), List.of(resumed.revokedCertificates(), resumed.unmatchedRevocations(),
                resumed.quarantinedCertificates(), resumed.quarantinedKeys()));
        assertEquals(146, count(target, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"));
        assertVerifies();
    }

    @Test
    void aRunStoppedAfterTheUsersResumesIntoEmptyCertificateKeyAndRevocationTables() throws Exception {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);

        crashAt(12, 5, Strategy.CHUNKED);

        assertEquals(List.of(), serialRows(target));
        assertEquals(40, count(target, "SELECT COUNT(*) FROM KMS55.USERS"));
        List<String> lines = new ArrayList<>();
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult resumed = new Converter(Fixtures.logTo(lines)).convert(settings(5, Strategy.CHUNKED, ledger));

        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        assertEquals("The earlier runs committed 40 users, 0 certificates, 0 keys and 0 unmatched revocations; this run goes on after them.",
                lines.get(1));
        assertEquals(concat(List.of(1, 1), chunks(29, 5, 1), List.of(1, 1, 1, 1)), sizes(ledger));
        assertVerifies();
    }

    @Test
    void aRunThatFailsInsideAChunkCommitsNoneOfItsRowsRecordsItsFailureAndResumesBeforeIt() throws Exception {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        List<String> all = referenceSerialRows();
        // the serial pass's first certificate that is the third to fifth row of its chunk, from the second chunk on
        int failing = 5;
        while (failing % 5 < 2 || !all.get(failing).trim().endsWith(" CERTIFICATES")) {
            failing++;
        }
        String serial = all.get(failing).split(" ")[0];
        crashAt(12, 5, Strategy.CHUNKED);
        // the store refuses that one row, as a full table or a broken trigger would: mid-chunk, not at a commit
        try (Connection c = Fixtures.open(target)) {
            Sql.execute(c, "CREATE TABLE APP.REFUSAL (X INT CONSTRAINT REFUSED CHECK (X > 1))");
            Sql.execute(c, "CREATE TRIGGER APP.REFUSE_ONE AFTER INSERT ON KMS55.CERTIFICATES REFERENCING NEW AS N "
                    + "FOR EACH ROW WHEN (N.SERIAL = '" + serial + "') INSERT INTO APP.REFUSAL VALUES (0)");
            c.commit();
        }

        StoreException failed = assertThrows(StoreException.class,
                () -> new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, new TransactionLedger())));

        assertEquals("Converting into " + target.display() + " failed: The check constraint 'REFUSED' was violated while performing an "
                + "INSERT or UPDATE on table '\"APP\".\"REFUSAL\"'. (SQLState 23513)", failed.getMessage());
        // the chunks before it are kept, no row of its own chunk is, and the run says it failed
        assertEquals(all.subList(0, failing - failing % 5), serialRows(target));
        assertEquals(List.of("INTERRUPTED", "FAILED"), strings(target, "SELECT OUTCOME FROM KMS55.KMS_CONVERSION_RUN ORDER BY RUN_NO"));

        try (Connection c = Fixtures.open(target)) {
            Sql.execute(c, "DROP TRIGGER APP.REFUSE_ONE");
            c.commit();
        }
        ConversionResult resumed = new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, new TransactionLedger()));

        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        assertEquals(all, serialRows(target));
        assertVerifies();
    }

    @Test
    void aRunStoppedInTheMiddleOfTheUsersResumesAfterTheGreatestUserCommitted() throws Exception {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);

        crashAt(5, 7, Strategy.CHUNKED);

        assertEquals(14, count(target, "SELECT COUNT(*) FROM KMS55.USERS"));
        assertEquals(List.of(), strings(target, "SELECT PHASE FROM KMS55.KMS_CONVERSION_PHASE"));
        TransactionLedger ledger = new TransactionLedger();
        new Converter(KmsLog.silent()).convert(settings(7, Strategy.CHUNKED, ledger));

        // marked, run, 26 users (3 chunks of 7 and 5), USERS, 146 serial rows (20 chunks of 7 and 6), SERIALS, KEYS, finish, end
        assertEquals(concat(List.of(1, 1), chunks(3, 7, 5), List.of(1), chunks(20, 7, 6), List.of(1, 1, 1, 1)), sizes(ledger));
        assertEquals(40, count(target, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'USERS'"));
        assertVerifies();
    }

    @Test
    void aSourceWithoutKeysOrRevocationsConvertsAndResumesFromATargetWithOnlyCertificates() throws Exception {
        source = Fixtures.generate(dir, new Profile(6, 0, 0, 0, 0, 0, 3L));
        try (Connection c = Fixtures.open(source)) {
            assertEquals(6, Sql.update(c, "DELETE FROM KMS50.KM_KEY"));
            c.commit();
        }
        target = Fixtures.target(dir);
        // 1 record, 2 run, 3 and 4 the 6 users, 5 USERS, 6 the first 5 of the 12 certificates: lost at 7
        crashAt(7, 5, Strategy.CHUNKED);
        assertEquals(5, serialRows(target).size());
        assertEquals(0, count(target, "SELECT COUNT(*) FROM KMS55.KEY_ARCHIVE"));

        TransactionLedger ledger = new TransactionLedger();
        ConversionResult resumed = new Converter(KmsLog.silent()).convert(settings(5, Strategy.CHUNKED, ledger));

        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(resumed.revokedCertificates(), resumed.unmatchedRevocations(),
                resumed.quarantinedCertificates(), resumed.quarantinedKeys()));
        assertEquals(concat(List.of(1, 1), chunks(1, 5, 2), List.of(1, 1, 1, 1)), sizes(ledger));
        assertEquals(12, count(target, "SELECT COUNT(*) FROM KMS55.CERTIFICATES"));
        assertVerifies();
    }

    @Test
    void aResumeWithTheOtherStrategyIsRefusedNamingBoth() {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        crashAt(13, 5, Strategy.CHUNKED);

        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> Fixtures.convert(source, target, 5, Strategy.SINGLE_TRANSACTION));
        assertEquals("<target> " + target.display() + " holds an unfinished 'chunked' conversion, but <strategy> is "
                + "'single-transaction'. Resume it with strategy 'chunked', or set <restart>true</restart> (-Dkms.restart) to start over.",
                refused.getMessage());

        assertEquals(ConversionResult.Outcome.RESUMED, Fixtures.convert(source, target, 5, Strategy.CHUNKED).outcome());
        assertVerifies();
    }

    @Test
    void aFailedSingleTransactionConversionIsNotResumedAsChunkedButRestartedWhenAsked() throws Exception {
        source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        target = Fixtures.target(dir);
        assertThrows(dev.kmsgate.kms.KmsDefectException.class, () -> Fixtures.convert(source, target, 10, Strategy.SINGLE_TRANSACTION));

        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> Fixtures.convert(source, target, 10, Strategy.CHUNKED));
        assertEquals(Messages.format(Messages.TARGET_OTHER_STRATEGY, target.display(), "single-transaction", "chunked",
                "single-transaction"), refused.getMessage());

        List<String> lines = new ArrayList<>();
        ConversionResult restarted = new Converter(Fixtures.logTo(lines)).convert(new ConversionSettings(Database.of(source),
                Database.of(target), 10, Strategy.CHUNKED, true, null, null));
        assertEquals(ConversionResult.Outcome.CONVERTED, restarted.outcome());
        assertEquals("Discarding the conversion in " + target.display() + " and starting over (restart is set).", lines.get(0));
        assertEquals(List.of("FINISHED"), strings(target, "SELECT OUTCOME FROM KMS55.KMS_CONVERSION_RUN ORDER BY RUN_NO"));
        assertEquals(List.of("chunked"), strings(target, "SELECT STRATEGY FROM KMS55.KMS_CONVERSION"));
        assertVerifies();
    }

    @Test
    void aFinishedConversionIsLeftAloneWhateverTheStrategyAsked() {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);

        List<String> lines = new ArrayList<>();
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult again = new Converter(Fixtures.logTo(lines)).convert(settings(5, Strategy.SINGLE_TRANSACTION, ledger));

        assertEquals(ConversionResult.Outcome.ALREADY_FINISHED, again.outcome());
        assertEquals(List.of(0L, 0L, 0L), List.of(again.rowChanges(), again.transactions(), ledger.committedTransactions()));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("<target> " + target.display() + " already holds a finished conversion of this source (finished "),
                lines.get(0));
        assertTrue(lines.get(0).matches(".*\\(finished \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\); it is left unchanged\\. .*"), lines.get(0));
    }
}
