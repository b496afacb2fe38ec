package dev.kmsgate.kms.gate;

import java.time.Duration;
import java.util.List;

/**
 * The gate's outcome: every case, and whether the gate proved it can see the defect.
 *
 * @param proof what the reference defect did on a case above the capacity
 */
public record GateReport(int capacity, String strategy, int threads, List<CaseResult> cases, SelfProof proof, Duration elapsed) {

    public GateReport {
        cases = List.copyOf(cases);
    }

    public List<CaseResult> failures() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    public boolean passed() {
        return failures().isEmpty() && proof.sighted();
    }

    /**
     * The gate's proof that it can fail: the reference defect on a case above the capacity must be
     * refused by the capacity guard, and verification of what it left must fail, with and without
     * the conversion-record check (so the data invariants themselves see the missing revocations).
     *
     * @param caseName the case it ran on
     * @param refusedAt the row changes at which the guard refused the defect's transaction, or 0 if it never did
     * @param failedInvariants the invariants that failed on what the defect left (record check on)
     * @param failedDataInvariants the invariants that failed with the record check off
     * @param blindness what was missing, empty when the gate can see
     */
    public record SelfProof(String caseName, long revocations, long refusedAt, List<Integer> failedInvariants,
                            List<Integer> failedDataInvariants, List<String> blindness) {
        public SelfProof {
            failedInvariants = List.copyOf(failedInvariants);
            failedDataInvariants = List.copyOf(failedDataInvariants);
            blindness = List.copyOf(blindness);
        }

        public boolean sighted() {
            return blindness.isEmpty();
        }
    }
}
