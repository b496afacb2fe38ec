package dev.kmsgate.kms.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What the transactions on a guarded connection actually did, as the guard saw them (not what
 * the writer meant to do): how many committed, how many rolled back, and the largest number of
 * row changes any transaction attempted, including one the guard refused. Thread-safe.
 *
 * <p>It also keeps each committed transaction's row changes and commit time, for reports that draw
 * them ({@link #history()}): the first {@link #EXACT_LIMIT} in two primitive arrays, and every one
 * in two histograms of {@link #BUCKETS} buckets whose width doubles as values grow. Memory is
 * bounded (about 240 KB at most) however many transactions a run commits.
 *
 * <p>Public for convert, which counts a run's transactions with it, and gate, which judges them;
 * not an API.
 */
public final class TransactionLedger {

    /** Transactions kept exactly, with their size and commit time. */
    public static final int EXACT_LIMIT = 20_000;
    /** Buckets of each histogram. */
    public static final int BUCKETS = 64;
    /** Refused transactions kept. */
    public static final int REFUSALS_KEPT = 100;

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

    /**
     * Simulates a crash now: every guarded connection of the run fails from its next call. The
     * scaling proof stops so a measuring run that has already taken longer than it needed to.
     */
    public void crashNow() {
        crashed = true;
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

    private final Object historyLock = new Object();
    private long startNanos;
    private boolean started;
    private int[] sizes = new int[16];
    private long[] commitNanos = new long[16];
    private int kept;
    private final Buckets sizeBuckets = new Buckets(1);
    private final Buckets timeline = new Buckets(1_000_000);
    private final List<TransactionHistory.Refusal> refusals = new ArrayList<>();

    /** The guard opened a connection: the history's time starts at the first. */
    void opened() {
        synchronized (historyLock) {
            if (!started) {
                started = true;
                startNanos = System.nanoTime();
            }
        }
    }

    /**
     * From now on, keeps the work of each commit by the tables it changed ({@link #phaseWork()}):
     * the CPU time the committing thread spent since its previous commit (for this thread, since
     * now), shared among the transaction's tables by their row changes.
     */
    public void trackWork() {
        synchronized (phaseLock) {
            tracking = true;
            lastCpu.put(Thread.currentThread().getId(), THREADS.getCurrentThreadUserTime());
        }
    }

    /** The work kept by table since {@link #trackWork()}, by table name; empty when it was not called. */
    public List<PhaseWork> phaseWork() {
        synchronized (phaseLock) {
            List<PhaseWork> phases = new ArrayList<>();
            for (Map.Entry<String, long[]> phase : new TreeMap<>(work).entrySet()) {
                phases.add(new PhaseWork(phase.getKey(), phase.getValue()[0], phase.getValue()[1]));
            }
            return phases;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Object phaseLock = new Object();
    private boolean tracking;
    private final Map<Long, Long> lastCpu = new HashMap<>();
    /** Table: {rows, CPU nanoseconds}. */
    private final Map<String, long[]> work = new HashMap<>();

    private void track(long rowChanges, Map<String, Long> byTable) {
        synchronized (phaseLock) {
            if (!tracking || !THREADS.isCurrentThreadCpuTimeSupported()) {
                return;
            }
            long now = THREADS.getCurrentThreadUserTime();
            Long before = lastCpu.put(Thread.currentThread().getId(), now);
            long spent = before == null ? 0 : now - before;
            if (rowChanges <= 0 || byTable.isEmpty()) {
                work.computeIfAbsent(PhaseWork.NO_ROWS, t -> new long[2])[1] += spent;
                return;
            }
            long shared = 0;
            for (Map.Entry<String, Long> table : byTable.entrySet()) {
                long[] phase = work.computeIfAbsent(table.getKey(), t -> new long[2]);
                long share = spent * table.getValue() / rowChanges;
                phase[0] += table.getValue();
                phase[1] += share;
                shared += share;
            }
            // what integer division left goes to the transaction's first table
            work.get(byTable.keySet().iterator().next())[1] += spent - shared;
        }
    }

    /** The guard committed a transaction of these row changes, by the table they changed. */
    void committed(long rowChanges, Map<String, Long> byTable) {
        track(rowChanges, byTable);
        committed(rowChanges);
    }

    void committed(long rowChanges) {
        if (rowChanges > 0) {
            committed.incrementAndGet();
            committedRowChanges.addAndGet(rowChanges);
            largest.accumulate(rowChanges);
            synchronized (historyLock) {
                long at = elapsed();
                if (kept < EXACT_LIMIT) {
                    if (kept == sizes.length) {
                        int grown = Math.min(EXACT_LIMIT, kept * 2);
                        sizes = Arrays.copyOf(sizes, grown);
                        commitNanos = Arrays.copyOf(commitNanos, grown);
                    }
                    sizes[kept] = (int) Math.min(Integer.MAX_VALUE, rowChanges);
                    commitNanos[kept] = at;
                    kept++;
                }
                sizeBuckets.add(rowChanges, 1);
                timeline.add(at, rowChanges);
            }
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
        synchronized (historyLock) {
            if (refusals.size() < REFUSALS_KEPT) {
                refusals.add(new TransactionHistory.Refusal(attemptedRowChanges, committed.get(), elapsed()));
            }
        }
    }

    private long elapsed() {
        if (!started) {
            started = true;
            startNanos = System.nanoTime();
        }
        return Math.max(0, System.nanoTime() - startNanos);
    }

    /** A copy of what this ledger kept of the committed transactions. */
    public TransactionHistory history() {
        synchronized (historyLock) {
            return new TransactionHistory(Arrays.copyOf(sizes, kept), Arrays.copyOf(commitNanos, kept), committed.get(),
                    committedRowChanges.get(), sizeBuckets.snapshot(), timeline.snapshot(), refusals);
        }
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

    /** {@link #BUCKETS} buckets of one width; when a value lies beyond the last, neighbours merge and the width doubles. */
    private static final class Buckets {
        private final long[] counts = new long[BUCKETS];
        private long width;

        Buckets(long initialWidth) {
            width = initialWidth;
        }

        void add(long value, long weight) {
            while (value / width >= BUCKETS) {
                for (int i = 0; i < BUCKETS / 2; i++) {
                    counts[i] = counts[2 * i] + counts[2 * i + 1];
                }
                Arrays.fill(counts, BUCKETS / 2, BUCKETS, 0);
                width *= 2;
            }
            counts[(int) (value / width)] += weight;
        }

        TransactionHistory.Histogram snapshot() {
            return new TransactionHistory.Histogram(width, counts.clone());
        }
    }
}
