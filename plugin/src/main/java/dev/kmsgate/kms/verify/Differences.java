package dev.kmsgate.kms.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the differences of one invariant: all are counted, the first {@code limit} are kept. */
final class Differences {

    private final int limit;
    private final List<String> first = new ArrayList<>();
    private long total;

    Differences(int limit) {
        this.limit = limit;
    }

    void add(String difference) {
        total++;
        if (first.size() < limit) {
            first.add(difference);
        }
    }

    long total() {
        return total;
    }

    List<String> first() {
        return first;
    }

    /**
     * The result of an invariant that holds exactly when nothing differs.
     *
     * @param detail what was compared: {@code 12 of 12 source rows have an equal target row}; the count of
     *               differences is appended when there are any
     */
    InvariantResult result(Invariant invariant, long expected, long actual, String detail) {
        boolean holds = total == 0;
        return new InvariantResult(invariant, holds ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                expected, actual, holds ? detail : detail + "; " + count(total), first, total);
    }

    /** {@code 1 difference}, {@code 2,345 differences}. */
    static String count(long count) {
        return String.format(Locale.ROOT, count == 1 ? "%,d difference" : "%,d differences", count);
    }
}
