package dev.kmsgate.kms.verify;

import java.util.Locale;

/**
 * Invariant 6: every converted row equals its source row in all columns, BLOBs included. The user
 * pass and the certificate and key checks report each source row here: equal, or how it differs.
 */
final class RowEquality {

    private final Differences differences;
    private long sourceRows;
    private long equalRows;

    RowEquality(int limit) {
        this.differences = new Differences(limit);
    }

    /** A source row was read (whether or not the target has it). */
    void sourceRow() {
        sourceRows++;
    }

    /** A source row has an equal target row. */
    void equal() {
        equalRows++;
    }

    /** A row differs, is missing, is extra or is converted twice. */
    void differs(String difference) {
        differences.add(difference);
    }

    InvariantResult result() {
        return differences.result(Invariant.ROW_EQUALITY, sourceRows, equalRows,
                String.format(Locale.ROOT, "%,d of %,d source rows have an equal target row", equalRows, sourceRows));
    }
}
