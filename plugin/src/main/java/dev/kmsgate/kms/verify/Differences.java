package dev.kmsgate.kms.verify;

import java.util.ArrayList;
import java.util.List;

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
}
