package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.FileClaim;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The resume trials: on a case, the converter runs until the guard simulates a crash at a commit,
 * then runs again on the same target; the result is judged like an uninterrupted run. On the
 * largest boundary case the commits are seeded ({@link #seededPoints}: one early, one in the middle,
 * one late for three trials); on the dirty case, whose quarantined rows and unmatched revocations a
 * resume must account for too, the crash comes at every commit in turn ({@link #everyCommit}).
 */
final class ResumeTrials {

    private final CaseRunner runner;

    ResumeTrials(CaseRunner runner) {
        this.runner = runner;
    }

    /** The commit at which trial {@code index} (0-based) of {@code trials} crashes a run of {@code commits} commits. */
    static long commitPoint(long commits, int index, int trials, long seed) {
        long low = commits * index / trials + 1;
        long high = Math.max(low, commits * (index + 1) / trials);
        Random random = new Random(seed * 31 + index);
        return low + (long) (random.nextDouble() * (high - low + 1));
    }

    /**
     * The crash points of {@code trials} trials on a run of {@code commits} commits: the commits are
     * split into equal spans and one point is drawn in each. A run without commits gets {@code trials}
     * points 0, each a trial that fails saying there is nothing to interrupt.
     */
    static List<Long> seededPoints(long commits, int trials, long seed) {
        List<Long> points = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            points.add(commits == 0 ? 0 : commitPoint(commits, i, trials, seed));
        }
        return points;
    }

    /**
     * Every commit of a run, 1 to {@code commits}, when there are at most {@code limit}; otherwise
     * {@code limit} seeded points. A run without commits gets one point 0.
     */
    static List<Long> everyCommit(long commits, int limit, long seed) {
        if (commits == 0) {
            return List.of(0L);
        }
        if (commits > limit) {
            return seededPoints(commits, limit, seed);
        }
        List<Long> points = new ArrayList<>();
        for (long commit = 1; commit <= commits; commit++) {
            points.add(commit);
        }
        return points;
    }

    /**
     * The trial, judged.
     *
     * @param uninterrupted the same case run without a crash
     * @param number the trial's number in the gate (1, 2, ...)
     * @param crashAt the commit to crash at, 1 to the uninterrupted run's commits (0 when it has none)
     */
    ResumeTrial run(CaseResult uninterrupted, int number, long crashAt) {
        long started = System.nanoTime();
        GateCase gateCase = uninterrupted.gateCase();
        long commits = uninterrupted.transactions();
        List<String> problems = new ArrayList<>();
        VerificationReport verification = null;
        if (commits == 0) {
            problems.add("the uninterrupted run committed no transaction, so there is no commit to interrupt");
            return new ResumeTrial(number, gateCase.name(), 0, 0, problems, null, Duration.ZERO);
        }
        Database source = runner.sourceOf(gateCase);
        Database target = runner.target(gateCase.name(), "trial-" + number);
        TransactionLedger interrupted = new TransactionLedger();
        TransactionLedger resumed = new TransactionLedger();
        interrupted.crashAtCommit(crashAt);
        try (FileClaim claim = runner.claimSource(gateCase); Lease sourceLease = source.lease(); Lease targetLease = target.lease()) {
            runner.source(gateCase);
            target.drop();
            try {
                runner.converter().convert(runner.conversion(source, target, interrupted));
            } catch (KmsException expected) {
                // the simulated crash: the run fails, as a killed upgrade would
            }
            if (!interrupted.crashed()) {
                problems.add(String.format(Locale.ROOT, "the run finished after %,d commits, before commit %,d, so it was never "
                        + "interrupted: its commits differ from the uninterrupted run's %,d", interrupted.committedTransactions(),
                        crashAt, commits));
            }
            try {
                runner.converter().convert(runner.conversion(source, target, resumed));
            } catch (KmsException e) {
                problems.add("the run after the interruption failed: " + e.getMessage());
            }
            String capacity = runner.capacityProblem(Math.max(interrupted.largestTransaction(), resumed.largestTransaction()));
            if (capacity != null) {
                problems.add(capacity);
            }
            verification = runner.judge(source, target, interrupted.committedRowChanges() + resumed.committedRowChanges(), problems);
        } catch (KmsException e) {
            problems.add("could not run: " + e.getMessage());
        }
        return new ResumeTrial(number, gateCase.name(), crashAt, commits, problems, verification,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
