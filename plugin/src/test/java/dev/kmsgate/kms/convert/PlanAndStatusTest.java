package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.LogLine;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kms:plan predicts what kms:convert then does, exactly; kms:status shows what it did. */
class PlanAndStatusTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 37, 100_000})
    void thePlanPredictsTheRowChangesTransactionsAndLargestTransactionOfARealConversion(int capacity) {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        ConversionPlan plan = ConversionPlan.of(Database.of(source), capacity, Strategy.CHUNKED);
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult result = new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source),
                Database.of(Fixtures.target(dir)), capacity, Strategy.CHUNKED, false, ledger, null));

        assertEquals(List.of(ledger.committedRowChanges(), ledger.committedTransactions(), ledger.largestTransaction()),
                List.of(plan.rowChanges(), plan.transactions(), plan.largestTransaction()));
        assertEquals(result.unmatchedRevocations(), plan.unmatchedRevocations());
        assertEquals(result.quarantinedCertificates(), plan.quarantinedCertificates());
        assertFalse(plan.exceedsCapacity());
    }

    @Test
    void thePlanOfTheReferenceDefectSaysTheGuardWouldRefuseItsOneTransaction() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        ConversionPlan plan = ConversionPlan.of(Database.of(source), 10, Strategy.SINGLE_TRANSACTION);

        assertTrue(plan.exceedsCapacity());
        assertEquals(14, plan.oneTransaction());
        assertTrue(plan.lines(40_000).contains("  REVOCATIONS             14 row changes in ONE transaction: beyond the capacity of 10, "
                + "the guard would REFUSE it (the KB Q193567 defect)"), () -> plan.lines(40_000).toString());
    }

    @Test
    void theStatusOfATargetShowsItsRecordEveryRunAndThePhases() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        ConversionResult result = Fixtures.convert(source, target, 5, Strategy.CHUNKED);

        List<String> lines = TargetStatus.lines(Database.of(target));

        assertTrue(lines.get(0).startsWith(target.display() + ": FINISHED conversion (strategy chunked) of " + source.display()
                + ", source fingerprint " + result.source().shortFingerprint() + ", started "), lines.get(0));
        assertTrue(lines.get(0).endsWith(", by " + Converter.TOOL_VERSION + "."), lines.get(0));
        assertEquals("  run  started              outcome      strategy             capacity   row changes  transactions  largest txn",
                lines.get(1));
        assertTrue(lines.get(2).matches("  1    \\S+Z +FINISHED +chunked +5 +" + String.format(java.util.Locale.ROOT, "%,d", result.rowChanges())
                + " +" + String.format(java.util.Locale.ROOT, "%,d", result.transactions()) + " +5"), lines.get(2));
        assertTrue(lines.get(3).startsWith("  phases done: USERS ("), lines.get(3));
        assertEquals(List.of(source.display() + " holds no KMS55 schema: nothing was converted into it."),
                TargetStatus.lines(Database.of(source)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void thePlanOfTheReferenceDefectWithinTheCapacityPredictsItsRealConversion(int orphanRevocations) {
        // with 0: a source without a CRL row, whose REVOCATIONS transaction changes nothing
        Profile profile = orphanRevocations == 0 ? new Profile(6, 0, 0, 0, 0, 0, 3L) : new Profile(30, 12, 3, orphanRevocations, 0, 0, 5L);
        DatabaseAddress source = Fixtures.generate(dir, profile);
        ConversionPlan plan = ConversionPlan.of(Database.of(source), 20, Strategy.SINGLE_TRANSACTION);
        TransactionLedger ledger = new TransactionLedger();
        new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source), Database.of(Fixtures.target(dir)), 20,
                Strategy.SINGLE_TRANSACTION, false, ledger, null));

        assertEquals(List.of(ledger.committedRowChanges(), ledger.committedTransactions(), ledger.largestTransaction()),
                List.of(plan.rowChanges(), plan.transactions(), plan.largestTransaction()));
        assertEquals(orphanRevocations == 0 ? List.of(32L, 10L, 18L, 0L) : List.of(142L, 16L, 20L, 14L),
                List.of(plan.rowChanges(), plan.transactions(), plan.largestTransaction(), plan.oneTransaction()));
        assertFalse(plan.exceedsCapacity());
    }

    @Test
    void thePlansLinesNameEveryPhaseExactly() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        ConversionPlan plan = ConversionPlan.of(Database.of(source), 5, Strategy.CHUNKED);
        long crl = plan.source().crlRows();

        assertEquals(List.of(
                "Plan: converting 40 users, 89 certificates, 48 keys and " + crl + " CRL rows (" + plan.crlSerials() + " distinct serials) "
                        + "at transactionCapacity 5 with strategy chunked; nothing is written.",
                "  USERS                   40 row changes in         8 transactions",
                "  SERIALS                146 row changes in        30 transactions (89 certificates, 9 of them quarantined; 48 keys; "
                        + "9 unmatched revocations)",
                "  KEYS                     0 row changes: adds the primary and foreign keys in one transaction with its phase record",
                "  bookkeeping              7 row changes in         7 transactions",
                "  total                  193 row changes in        45 transactions, the largest 5 (capacity 5)",
                String.format(Locale.ROOT, "  about %.1f s at 100 source rows/s (KMS Gate's convert rate, measured on this machine just now)",
                        (177 + crl) / 100.0)), plan.lines(100));
        assertEquals(List.of(34L, 146L, 9L, 9L), List.of(plan.crlSerials(), plan.serialRows(), plan.unmatchedRevocations(),
                plan.quarantinedCertificates()));
        // with a measured growth: the larger measured database's time, scaled by (rows / its rows)^k
        long rows = 177 + crl;
        List<String> growing = plan.logLines(new ConvertSpeed(40, 0.5, 1.5, 10)).stream().map(LogLine::text).toList();
        assertEquals(String.format(Locale.ROOT, "  about %.1f s at 80 source rows/s, its work growing as n^1.50 (KMS Gate's converter, "
                + "measured on this machine just now on 10 and 40 rows)", 0.5 * Math.pow(rows / 40.0, 1.5)), growing.get(growing.size() - 1));
        List<String> sublinear = plan.logLines(new ConvertSpeed(40, 0.5, 0.9, 10)).stream().map(LogLine::text).toList();
        assertEquals(String.format(Locale.ROOT, "  about %.1f s at 80 source rows/s, its work growing as n^1.00 (KMS Gate's converter, "
                + "measured on this machine just now on 10 and 40 rows; it measured n^0.90, and no less than linear is estimated)",
                0.5 * rows / 40.0), sublinear.get(sublinear.size() - 1));
    }

    @Test
    void thePlanOfTheReferenceDefectCountsItsOneTransactionApart() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        ConversionPlan plan = ConversionPlan.of(Database.of(source), 20, Strategy.SINGLE_TRANSACTION);

        assertEquals(List.of(
                "  USERS                   30 row changes in         2 transactions",
                "  SERIALS                 90 row changes in         5 transactions (60 certificates, 0 of them quarantined; 30 keys; "
                        + "0 unmatched revocations)",
                "  KEYS                     0 row changes: adds the primary and foreign keys in one transaction with its phase record",
                "  REVOCATIONS             14 row changes in ONE transaction",
                "  bookkeeping              8 row changes in         8 transactions",
                "  total                  142 row changes in        16 transactions, the largest 20 (capacity 20)"),
                plan.lines(40_000).subList(1, 7));
        assertEquals(2, plan.unmatchedRevocations());
    }

    @Test
    void aPlanOfADatabaseThatIsNotLegacyIsRefusedNamingIt() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(3, 0, 0, 0, 0, 0, 3L));
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> ConversionPlan.of(Database.of(target), 5, Strategy.CHUNKED));
        assertEquals(Messages.format(Messages.SOURCE_IS_KMS55, target.display()), refused.getMessage());
    }

    @Test
    void aPlanBelowCapacityOneIsRefused() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(3, 0, 0, 0, 0, 0, 3L));
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> ConversionPlan.of(Database.of(source), 0, Strategy.CHUNKED));
        assertEquals(Messages.format(Messages.CAPACITY_TOO_SMALL, 0), refused.getMessage());
    }

    @Test
    void theStatusOfAnInterruptedTargetShowsTheRunStillRunningAndThePhasesItFinished() {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        TransactionLedger crashing = new TransactionLedger();
        crashing.crashAtCommit(13);
        assertThrows(StoreException.class, () -> new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source),
                Database.of(target), 5, Strategy.CHUNKED, false, crashing, null)));

        List<String> lines = TargetStatus.lines(Database.of(target));

        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote(target.display() + ": CONVERTING conversion (strategy chunked) of "
                + source.display() + ", source fingerprint ") + "\\S+, started \\S+Z, by " + java.util.regex.Pattern.quote(Converter.TOOL_VERSION + ".")),
                lines.get(0));
        assertTrue(lines.get(2).matches("  1    \\S+Z RUNNING      chunked                     5             -             -            -"),
                lines.get(2));
        assertTrue(lines.get(3).matches("  phases done: USERS \\(40 row changes, \\S+Z\\)"), lines.get(3));
    }

    @Test
    void theStatusOfAFailedRunShowsItsMessageAndNoPhaseBeyondTheFailure() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        DatabaseAddress target = Fixtures.target(dir);
        assertThrows(KmsDefectException.class, () -> Fixtures.convert(source, target, 10, Strategy.SINGLE_TRANSACTION));

        List<String> lines = TargetStatus.lines(Database.of(target));

        assertTrue(lines.get(2).matches("  1    \\S+Z FAILED       single-transaction         10           126            18           11  "
                + java.util.regex.Pattern.quote(Messages.format(Messages.CAPACITY_EXCEEDED, 11, 10))), lines.get(2));
        assertTrue(lines.get(3).matches("  phases done: USERS \\(30 row changes, \\S+Z\\), SERIALS \\(90 row changes, \\S+Z\\), "
                + "KEYS \\(0 row changes, \\S+Z\\)"), lines.get(3));
    }

    @Test
    void theStatusOfAKms55SchemaWithoutRecordSaysSo() throws Exception {
        DatabaseAddress target = Fixtures.target(dir);
        try (Connection c = DriverManager.getConnection(target.url() + ";create=true")) {
            Sql.execute(c, "CREATE SCHEMA KMS55");
            Sql.execute(c, "CREATE TABLE KMS55.USERS (USER_ID INTEGER)");
        }
        assertEquals(List.of(target.display() + " holds a KMS55 schema without KMS Gate's conversion record (written by another "
                + "converter, or never started): verify it with checkConversionRecord false."), TargetStatus.lines(Database.of(target)));
    }
}
