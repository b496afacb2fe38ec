package dev.kmsgate.kms.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What the transactions on a guarded connection actually did, as the guard saw them (not what
 * the writer meant to do): how many committed, how many rolled back, and the largest number of
 * row changes any transaction attempted, including one the guard refused. Thread-safe.
 */
public final class TransactionLedger {

    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong committedRowChanges = new AtomicLong();
    private final LongAccumulator largest = new LongAccumulator(Math::max, 0);
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong commitsWithChanges = new AtomicLong();
    private volatile long crashAtCommit;
    private volatile boolean crashed;

    /**
     * Simulates a crash at the {@code commit}-th commit of a transaction with row changes, counted
     * over every connection of the run: that transaction is lost, and every guarded connection of
     * the run fails from then on, as after a power loss (the resume trials of the gate).
     *
     * @param commit 1 for the first commit with row changes; 0 for no crash
     */
    public void crashAtCommit(long commit) {
        this.crashAtCommit = commit;
    }

    /** Whether the simulated crash has happened: every guarded connection of the run now fails. */
    public boolean crashed() {
        return crashed;
    }

    /** Called by the guard before it commits row changes: true when this commit is the one that crashes. */
    boolean crashesNow() {
        long number = commitsWithChanges.incrementAndGet();
        if (crashAtCommit > 0 && number == crashAtCommit) {
            crashed = true;
        }
        return crashed;
    }

    void committed(long rowChanges) {
        if (rowChanges > 0) {
            committed.incrementAndGet();
            committedRowChanges.addAndGet(rowChanges);
            largest.accumulate(rowChanges);
        }
    }

    void rolledBack(long rowChanges) {
        if (rowChanges > 0) {
            rolledBack.incrementAndGet();
            largest.accumulate(rowChanges);
        }
    }

    void refused(long attemptedRowChanges) {
        refused.incrementAndGet();
        rolledBack(attemptedRowChanges);
    }

    /** Transactions that committed at least one row change. */
    public long committedTransactions() {
        return committed.get();
    }

    /** Transactions with row changes that were rolled back (by the writer or by the guard). */
    public long rolledBackTransactions() {
        return rolledBack.get();
    }

    /** Transactions the guard refused because they exceeded the capacity. */
    public long refusedTransactions() {
        return refused.get();
    }

    /** Row changes that were committed. */
    public long committedRowChanges() {
        return committedRowChanges.get();
    }

    /** The most row changes any one transaction attempted, committed or not. */
    public long largestTransaction() {
        return largest.get();
    }

    @Override
    public String toString() {
        return "TransactionLedger[committed=" + committedTransactions() + ", rolledBack=" + rolledBackTransactions()
                + ", refused=" + refusedTransactions() + ", rowChanges=" + committedRowChanges()
                + ", largest=" + largestTransaction() + "]";
    }
}
