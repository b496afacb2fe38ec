package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.TransactionLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kms:plan predicts what kms:convert then does, exactly; kms:status shows what it did. */
class PlanAndStatusTest {

    @TempDir
    Path dir;

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
}
