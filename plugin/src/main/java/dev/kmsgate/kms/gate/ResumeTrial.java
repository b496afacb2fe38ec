package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.verify.VerificationReport;

import java.time.Duration;
import java.util.List;

/**
 * One interrupted run and its resumption: the converter ran on a case until the guard simulated a
 * crash at a commit, then ran again on the same target, and the result must pass verification as
 * an uninterrupted run does.
 *
 * <p>Public for report, which renders the resume trials; not an API.
 *
 * @param number 1, 2, ... in the order of their commit points
 * @param crashAtCommit the commit at which the crash was simulated (its transaction is lost)
 * @param commits the commits of the uninterrupted run of the same case
 * @param problems why the trial fails; empty when it passes
 * @param verification the verification after the resumed run, or null if it could not run
 */
public record ResumeTrial(int number, String caseName, long crashAtCommit, long commits, List<String> problems,
                          VerificationReport verification, Duration elapsed) {

    public ResumeTrial {
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    /** {@code resume trial 2 (case 10C, interrupted at commit 23 of 47)}. */
    public String label() {
        return String.format(java.util.Locale.ROOT, "resume trial %d (case %s, interrupted at commit %,d of %,d)",
                number, caseName, crashAtCommit, commits);
    }
}
