package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.store.PhaseWork;
import dev.kmsgate.kms.store.TransactionHistory;
import dev.kmsgate.kms.verify.VerificationReport;

import java.time.Duration;
import java.util.List;

/**
 * How one case fared.
 *
 * <p>Public for report, which renders it; not an API.
 *
 * @param size how large its source is
 * @param transactions transactions the capacity guard saw commit
 * @param largestTransaction the most row changes one transaction attempted, as the guard measured
 * @param rowsPerSecond source rows converted per second
 * @param problems why the case fails; empty when it passes
 * @param conversionProblem the conversion's own failure, or null
 * @param capacityProblem the gate's verdict when the largest transaction went beyond the capacity, or null
 * @param verification the verification of what the conversion left, or null if it could not run
 * @param history every committed transaction's size and commit time, and the refused ones, as the guard's ledger kept them
 * @param work the CPU time the converter spent on it ({@link dev.kmsgate.kms.WorkMeter}); zero when it did not run
 * @param phases that work by the table it wrote, as the guard's ledger shared it among the commits
 */
public record CaseResult(GateCase gateCase, CaseSize size, long transactions, long largestTransaction, double rowsPerSecond,
                         List<String> problems, String conversionProblem, String capacityProblem,
                         VerificationReport verification, Duration elapsed, TransactionHistory history, Duration work,
                         List<PhaseWork> phases) {

    public CaseResult {
        problems = List.copyOf(problems);
        work = work == null ? Duration.ZERO : work;
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    public boolean passed() {
        return problems.isEmpty();
    }
}
