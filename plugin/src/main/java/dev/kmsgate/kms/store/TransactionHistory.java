package dev.kmsgate.kms.store;

import java.util.List;

/**
 * What a {@link TransactionLedger} kept of the committed transactions, for reports that draw them:
 * the first {@link TransactionLedger#EXACT_LIMIT} exactly (row changes and commit time each), and
 * two histograms of all of them with a fixed number of buckets, so memory stays bounded however
 * long a run is. Times are nanoseconds since the first guarded connection of the ledger opened.
 *
 * <p>Public for gate, which keeps it in a case's result, and report, which draws it; not an API.
 *
 * @param sizes row changes of each committed transaction, in commit order (at most the limit)
 * @param commitNanos when each of those committed
 * @param transactions committed transactions in all (more than {@code sizes.length} when not {@link #complete()})
 * @param rowChanges row changes committed in all
 * @param sizeHistogram committed transactions by their row changes
 * @param timeline row changes committed by commit time
 * @param refusals the transactions the guard refused (the first {@link TransactionLedger#REFUSALS_KEPT})
 */
public record TransactionHistory(int[] sizes, long[] commitNanos, long transactions, long rowChanges,
                                 Histogram sizeHistogram, Histogram timeline, List<Refusal> refusals) {

    public TransactionHistory {
        refusals = List.copyOf(refusals);
    }

    /** A history with nothing in it: a case that never converted. */
    public static TransactionHistory none() {
        return new TransactionHistory(new int[0], new long[0], 0, 0, Histogram.empty(1), Histogram.empty(1_000_000), List.of());
    }

    /** Whether every committed transaction is in {@link #sizes()}; otherwise only the histograms hold them all. */
    public boolean complete() {
        return sizes.length == transactions;
    }

    /**
     * A transaction the guard refused.
     *
     * @param attempted the row changes it reached when it was refused
     * @param afterTransactions how many transactions had committed before it
     * @param atNanos when it was refused
     */
    public record Refusal(long attempted, long afterTransactions, long atNanos) {
    }

    /**
     * Counts in buckets of equal width: bucket {@code i} holds the values in {@code [i * width, (i + 1) * width)}.
     *
     * @param width the width of every bucket, a power of two times the initial width
     * @param counts the sum of the weights that fell in each bucket
     */
    public record Histogram(long width, long[] counts) {

        static Histogram empty(long width) {
            return new Histogram(width, new long[TransactionLedger.BUCKETS]);
        }

        /** The index of the last non-empty bucket, or -1. */
        public int lastUsed() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] != 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
