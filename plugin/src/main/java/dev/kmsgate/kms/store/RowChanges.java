package dev.kmsgate.kms.store;

import java.sql.Statement;
import java.util.Arrays;

/**
 * The row changes of a batch, from the update counts the driver reports for its entries: each
 * entry counts the rows it changed (an {@code UPDATE} entry matching 3 rows counts 3), a failed
 * entry ({@code EXECUTE_FAILED}) none. An entry reported as {@code SUCCESS_NO_INFO} changed an
 * unknown number of rows: counting it as 1 could let a transaction past the capacity unnoticed, so
 * the whole batch is {@link #UNKNOWN} and the guard refuses it. Derby always reports exact counts.
 */
final class RowChanges {

    /** A batch with an entry whose row changes the driver did not report. */
    static final long UNKNOWN = -1;

    static final String NO_INFO_REFUSED = "The driver reported SUCCESS_NO_INFO for a batch entry: the transaction capacity guard "
            + "cannot count its row changes, so the transaction was rolled back. Run the statements one by one, or use a driver "
            + "that reports update counts.";

    private RowChanges() {
    }

    static long of(int[] counts) {
        return of(Arrays.stream(counts).asLongStream().toArray());
    }

    static long of(long[] counts) {
        long total = 0;
        for (long count : counts) {
            if (count == Statement.SUCCESS_NO_INFO) {
                return UNKNOWN;
            }
            total += Math.max(count, 0);
        }
        return total;
    }
}
