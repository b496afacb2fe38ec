package dev.kmsgate.kms.verify;

import java.util.Locale;

/**
 * A count invariant (1, 2 or 3): the source's rows of one kind, the target's rows of that kind,
 * and the keys whose presence differs.
 */
final class CountCheck {

    private final Invariant invariant;
    private final String what;
    private final Differences differences;
    private long source;
    private long target;

    /**
     * @param what the rows counted, plural, for the result's sentence: {@code users}
     */
    CountCheck(Invariant invariant, String what, int limit) {
        this.invariant = invariant;
        this.what = what;
        this.differences = new Differences(limit);
    }

    void source(long rows) {
        source += rows;
    }

    void target(long rows) {
        target += rows;
    }

    void differs(String difference) {
        differences.add(difference);
    }

    InvariantResult result() {
        boolean holds = source == target && differences.total() == 0;
        String detail = holds
                ? String.format(Locale.ROOT, "%,d %s in source and target", source, what)
                : String.format(Locale.ROOT, "source has %,d %s, target has %,d", source, what, target);
        return new InvariantResult(invariant, holds ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                source, target, detail, differences.first(), differences.total());
    }
}
