package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The resume trials: on the largest boundary case, the converter runs until the guard simulates a
 * crash at a seeded commit (one early, one in the middle, one late for three trials: the commits of
 * the uninterrupted run are split into equal spans, one point drawn in each), then runs again on
 * the same target; the result is judged like an uninterrupted run.
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
     * The trial, judged.
     *
     * @param uninterrupted the same case run without a crash: its commits set the crash points
     */
    ResumeTrial run(CaseResult uninterrupted, int index, int trials) {
        long started = System.nanoTime();
        GateCase gateCase = uninterrupted.gateCase();
        long commits = uninterrupted.transactions();
        long crashAt = commits == 0 ? 0 : commitPoint(commits, index, trials, runner.settings().seed());
        List<String> problems = new ArrayList<>();
        VerificationReport verification = null;
        if (commits == 0) {
            problems.add("the uninterrupted run committed no transaction, so there is no commit to interrupt");
            return new ResumeTrial(index + 1, gateCase.name(), 0, 0, problems, null, Duration.ZERO);
        }
        Database source = runner.source(gateCase);
        Database target = runner.target(gateCase.name(), "trial-" + (index + 1));
        TransactionLedger interrupted = new TransactionLedger();
        TransactionLedger resumed = new TransactionLedger();
        interrupted.crashAtCommit(crashAt);
        try (Lease sourceLease = source.lease(); Lease targetLease = target.lease()) {
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
        return new ResumeTrial(index + 1, gateCase.name(), crashAt, commits, problems, verification,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
