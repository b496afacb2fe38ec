package dev.kmsgate.kms.verify;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one verification: every invariant, in order.
 *
 * <p>Public for gate and report, which judge and render it, and maven, whose verify goal fails on
 * it; not an API.
 *
 * @param name a short name for reports (the target directory's name)
 * @param rowsCompared source and target rows streamed
 * @param undeclaredConstraints the format's keys and constraints that the target's schema does not
 *                              declare (a finding, not a failure: each is checked on the data)
 */
public record VerificationReport(String name, String source, String target, List<InvariantResult> results,
                                 long rowsCompared, Duration elapsed, List<String> undeclaredConstraints) {

    public VerificationReport {
        results = List.copyOf(results);
        undeclaredConstraints = List.copyOf(undeclaredConstraints);
    }

    /** A report of a target that declares every constraint of the format. */
    public VerificationReport(String name, String source, String target, List<InvariantResult> results,
                              long rowsCompared, Duration elapsed) {
        this(name, source, target, results, rowsCompared, elapsed, List.of());
    }

    public boolean passed() {
        return results.stream().noneMatch(InvariantResult::failed);
    }

    public List<InvariantResult> failures() {
        return results.stream().filter(InvariantResult::failed).toList();
    }

    /** Throws {@link VerificationFailedException}, naming every failed invariant, unless every invariant holds. */
    public VerificationReport requirePassed() {
        if (!passed()) {
            throw new VerificationFailedException(this);
        }
        return this;
    }

    public InvariantResult result(Invariant invariant) {
        return results.stream().filter(r -> r.invariant() == invariant).findFirst().orElseThrow();
    }

    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rowsCompared / seconds;
    }
}
