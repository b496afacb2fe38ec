package dev.kmsgate.kms.verify;

import java.time.Duration;
import java.util.List;

/**
 * How one invariant fared.
 *
 * <p>Public for gate and report, which judge and render it; not an API.
 *
 * @param expected the number the source implies
 * @param actual the number found in the target
 * @param detail one sentence: what holds, or what does not and by how much
 * @param differences the first differing keys, each a line like {@code serial 3fa2: CERT_DER differs}
 * @param totalDifferences how many differences there were in all (the list is capped)
 * @param elapsed its share of the time of the pass that judged it: invariants judged by one
 *                streamed pass share that pass's time evenly
 */
public record InvariantResult(Invariant invariant, Status status, long expected, long actual, String detail,
                              List<String> differences, long totalDifferences, Duration elapsed) {

    /** Outcome of an invariant. */
    public enum Status { PASSED, FAILED, SKIPPED }

    public InvariantResult {
        differences = List.copyOf(differences);
        elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }

    /** A result whose time is not yet known. */
    public InvariantResult(Invariant invariant, Status status, long expected, long actual, String detail,
                           List<String> differences, long totalDifferences) {
        this(invariant, status, expected, actual, detail, differences, totalDifferences, Duration.ZERO);
    }

    /** The same result, with the time it took. */
    public InvariantResult withElapsed(Duration time) {
        return new InvariantResult(invariant, status, expected, actual, detail, differences, totalDifferences, time);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** One line for logs: {@code invariant 2 (certificates): expected 40, found 39; first differences: ...}. */
    public String describe() {
        StringBuilder text = new StringBuilder(invariant.label()).append(": ").append(detail);
        if (!differences.isEmpty()) {
            text.append("; first differences: ").append(String.join("; ", differences));
            if (totalDifferences > differences.size()) {
                text.append("; ... ").append(totalDifferences - differences.size()).append(" more");
            }
        }
        return text.toString();
    }
}
