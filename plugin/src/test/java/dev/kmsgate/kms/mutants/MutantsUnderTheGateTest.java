package dev.kmsgate.kms.mutants;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.CaseResult;
import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.RegressionGate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mutant converters as converters of a user's own, through the SPI and kms:regression: the gate
 * fails each, naming the invariant (or the resume trial) that the bug breaks. One mutant per kind
 * of bug; MutantConvertersTest runs all of them against the verifier directly.
 */
class MutantsUnderTheGateTest {

    @TempDir
    Path dir;

    /** A mutant behind the SPI: the context's guarded target and read-only source, a new instance per run. */
    private static KmsConverter spi(Mutant mutant) {
        MutantConverter converter = new MutantConverter(mutant);
        return context -> converter.convert(context.source(), context.target(), context.transactionCapacity());
    }

    @ParameterizedTest
    @CsvSource({
            "LATEST_REVOCATION, 0, invariant 5 (revoked serials)",
            "ORPHAN_CERTIFICATE_KEPT, 0, invariant 6 (row equality)",
            "LAST_SERIAL_DROPPED, 0, invariant 2 (certificates)",
            "RESUME_SKIPS_A_CHUNK, 3, - resume trial ",
            // caught on the generated cases alone because their data has the shapes these bugs need
            "USERS_PAGED_BY_ID_RANGE, 0, invariant 1 (users)",
            "DER_READ_ONCE_INTO_ONE_KIB, 0, invariant 6 (row equality)",
            "DISPLAY_NAME_EMPTY_AS_NULL, 0, invariant 6 (row equality)",
            "UNMATCHED_LATEST_REVOCATION, 0, invariant 5 (revoked serials)",
            "UNMATCHED_PER_CRL_ROW, 0, invariant 4 (revocation counts)",
            // caught by the trials that crash the dirty case at each of its commits
            "RESUME_IGNORES_QUARANTINE, 3, (case dirty, interrupted at commit ",
            "RESUME_RESTARTS_UNMATCHED, 3, (case dirty, interrupted at commit "})
    void theGateFailsAMutantNamingWhatItBreaks(Mutant mutant, int trials, String named) {
        ConverterUnderTest converter = ConverterUnderTest.of(ForeignConverter.of("mutant " + mutant, () -> spi(mutant)));
        GateReport report = new RegressionGate(KmsLog.silent()).run(new RegressionGate.Settings(7, Strategy.CHUNKED, List.of(), 2, 3,
                1L, 5, dir, null, converter, trials));

        assertFalse(report.passed(), mutant + " passed the gate");
        if (mutant.needsResume()) {
            assertTrue(report.cases().stream().allMatch(CaseResult::passed), "only a resumed run shows the bug: " + report.failureMessage());
        }
        assertTrue(report.proof().sighted());
        assertTrue(report.failureMessage().contains(named), report::failureMessage);
    }
}
