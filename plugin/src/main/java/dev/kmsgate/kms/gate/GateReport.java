package dev.kmsgate.kms.gate;

import java.time.Duration;
import java.util.List;

/**
 * The gate's outcome: every case, and whether the gate proved it can see the defect.
 *
 * @param proof what the reference defect did on a case above the capacity
 * @param converter the converter under test: a class name, or {@link #BUILT_IN_CONVERTER}
 * @param resumeTrials interrupted and resumed runs of the converter; empty when none ran
 */
public record GateReport(int capacity, String strategy, int threads, List<CaseResult> cases, SelfProof proof, Duration elapsed,
                         String converter, List<ResumeTrial> resumeTrials) {

    /** The converter under test when the user names none: KMS Gate's own. */
    public static final String BUILT_IN_CONVERTER = "KMS Gate (built-in)";

    public GateReport {
        cases = List.copyOf(cases);
        converter = converter == null || converter.isBlank() ? BUILT_IN_CONVERTER : converter;
        resumeTrials = resumeTrials == null ? List.of() : List.copyOf(resumeTrials);
    }

    /** A report of KMS Gate's own converter, without resume trials. */
    public GateReport(int capacity, String strategy, int threads, List<CaseResult> cases, SelfProof proof, Duration elapsed) {
        this(capacity, strategy, threads, cases, proof, elapsed, null, List.of());
    }

    public List<CaseResult> failures() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    public boolean passed() {
        return failures().isEmpty() && proof.sighted() && resumeTrials.stream().allMatch(ResumeTrial::passed);
    }

    /**
     * One interrupted run: the guard simulated a crash after a seeded number of commits, the
     * converter ran again on the same target, and the result was verified.
     *
     * @param caseName the case it ran on
     * @param trial its number, from 1
     * @param crashedAfterCommits the commits before the simulated crash
     * @param problems why the resumed result falls short; empty when it passes
     */
    public record ResumeTrial(String caseName, int trial, long crashedAfterCommits, List<String> problems) {
        public ResumeTrial {
            problems = List.copyOf(problems);
        }

        public boolean passed() {
            return problems.isEmpty();
        }
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
