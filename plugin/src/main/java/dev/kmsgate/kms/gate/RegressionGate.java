package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.FileClaim;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionHistory;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.Invariant;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The regression gate: for a capacity C and a converter under test (KMS Gate's own with a strategy,
 * or the user's), it runs the boundary cases (0, 1, C-1, C, C+1, 2C+1 and a large multiple of C
 * revocations, a dirty database, and the user's own cases, generated or existing), converts and
 * verifies each on independent databases in parallel, and judges each by what the capacity guard
 * measured, not by what the converter reported. It interrupts runs at seeded commits of the largest
 * boundary case and at every commit of the dirty one, and resumes them ({@link ResumeTrials}).
 * Then it proves it can fail: KMS Gate's
 * reference defect must be refused under the capacity on a case above C, and verification of what
 * it left must fail. A failing case never hides the others.
 *
 * <p>Public for fork, whose job runs it; not an API.
 */
public final class RegressionGate {

    /**
     * The dirty case's trials crash at each of its commits, up to this many per {@code resumeTrials}
     * (12 for the default 3): a converter that fills its transactions commits about 10 times there,
     * whatever the capacity, since the dirty case grows with it.
     */
    static final int DIRTY_TRIALS_PER_TRIAL = 4;

    /**
     * What the gate runs.
     *
     * @param converter the user's converter, or null for KMS Gate's own (with {@code strategy})
     * @param resumeTrials interrupted runs at seeded commits of the largest boundary case (the dirty case is then
     *        interrupted at each of its commits, up to {@link #DIRTY_TRIALS_PER_TRIAL} times as many); 0 turns them off
     * @param shard the share of the cases to run ({@link Shard#ALL} for every one)
     * @param sourcesDirectory where generated sources are kept, keyed by profile, and shared with every other gate
     *        that names the same directory (null: {@code sources} under {@code workDirectory})
     * @param scalingProof whether the gate runs its scaling proof ({@link ScalingProof})
     */
    public record Settings(int transactionCapacity, Strategy strategy, List<GateCase> extraCases, int threads,
                           int largeMultiple, long seed, int mismatchLimit, Path workDirectory, Duration progressInterval,
                           ConverterUnderTest converter, int resumeTrials, Shard shard, Path sourcesDirectory, boolean scalingProof) {
        public Settings {
            sourcesDirectory = sourcesDirectory != null ? sourcesDirectory : workDirectory.resolve("sources");
            shard = shard == null ? Shard.ALL : shard;
            Parameters.transactionCapacity(transactionCapacity);
            Parameters.mismatchLimit(mismatchLimit);
            extraCases = List.copyOf(extraCases);
            threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            if (largeMultiple < 3) {
                throw new KmsUsageException(Messages.format(Messages.LARGE_MULTIPLE_TOO_SMALL, largeMultiple));
            }
            // the large case has as many users as revocations, and two certificates per user
            long largest = (long) largeMultiple * transactionCapacity;
            if (largest > Profile.MAX_CERTIFICATES / 2) {
                throw new KmsUsageException(Messages.format(Messages.LARGE_CASE_TOO_LARGE, largeMultiple, transactionCapacity, largest,
                        Profile.MAX_CERTIFICATES / 2));
            }
            if (resumeTrials < 0) {
                throw new KmsUsageException(Messages.format(Messages.RESUME_TRIALS_NEGATIVE, resumeTrials));
            }
            progressInterval = progressInterval == null ? Parameters.DEFAULT_PROGRESS_INTERVAL : progressInterval;
        }

        /** A gate of one shard, its sources under {@code workDirectory}, without the scaling proof. */
        public Settings(int transactionCapacity, Strategy strategy, List<GateCase> extraCases, int threads,
                        int largeMultiple, long seed, int mismatchLimit, Path workDirectory, Duration progressInterval,
                        ConverterUnderTest converter, int resumeTrials, Shard shard) {
            this(transactionCapacity, strategy, extraCases, threads, largeMultiple, seed, mismatchLimit, workDirectory,
                    progressInterval, converter, resumeTrials, shard, null, false);
        }

        /** The same gate, with the scaling proof on or off. */
        public Settings withScalingProof(boolean on) {
            return new Settings(transactionCapacity, strategy, extraCases, threads, largeMultiple, seed, mismatchLimit, workDirectory,
                    progressInterval, converter, resumeTrials, shard, sourcesDirectory, on);
        }

        /** KMS Gate's own converter with a strategy, no resume trials: the gate as tests of it run it. */
        public Settings(int transactionCapacity, Strategy strategy, List<GateCase> extraCases, int threads,
                        int largeMultiple, long seed, int mismatchLimit, Path workDirectory, Duration progressInterval) {
            this(transactionCapacity, strategy, extraCases, threads, largeMultiple, seed, mismatchLimit, workDirectory,
                    progressInterval, null, 0, Shard.ALL);
        }

        /** The whole gate, unsharded. */
        public Settings(int transactionCapacity, Strategy strategy, List<GateCase> extraCases, int threads,
                        int largeMultiple, long seed, int mismatchLimit, Path workDirectory, Duration progressInterval,
                        ConverterUnderTest converter, int resumeTrials) {
            this(transactionCapacity, strategy, extraCases, threads, largeMultiple, seed, mismatchLimit, workDirectory,
                    progressInterval, converter, resumeTrials, Shard.ALL);
        }

        /** The cases to run: the boundaries, the dirty database, and the user's. */
        public List<GateCase> cases() {
            List<GateCase> cases = new ArrayList<>(GateCase.boundaryCases(transactionCapacity, largeMultiple, seed));
            cases.addAll(extraCases);
            return cases;
        }
    }

    private final KmsLog log;
    private final Function<ConversionSettings, ConversionResult> referenceConverter;
    private final Function<Verifier.Settings, VerificationReport> verifier;

    public RegressionGate(KmsLog log) {
        this(log, settings -> new Converter(KmsLog.silent()).convert(settings), settings -> new Verifier(KmsLog.silent()).verify(settings));
    }

    /** For tests of the gate itself: KMS Gate's converter (or a stand-in) and a verifier to judge. */
    RegressionGate(KmsLog log, Function<ConversionSettings, ConversionResult> referenceConverter,
                   Function<Verifier.Settings, VerificationReport> verifier) {
        this.log = log;
        this.referenceConverter = referenceConverter;
        this.verifier = verifier;
    }

    /**
     * Runs every case of its shard, the resume trials and the self-proof when the shard holds them;
     * never throws for a failing case (see {@link GateReport#requirePassed()}). The heaviest work
     * starts first, the self-proof runs beside the cases, and the resume trials start as soon as
     * the case they interrupt has finished.
     */
    public GateReport run(Settings settings) {
        long started = System.nanoTime();
        ConverterUnderTest converter = settings.converter() != null ? settings.converter() : ConverterUnderTest.builtIn(referenceConverter);
        CaseRunner runner = new CaseRunner(settings, converter, verifier);
        List<GateCase> everyCase = settings.cases();
        // C+1 never shares its count with an earlier boundary (it exceeds 1, C-1 and C), so every gate has it
        GateCase proofCase = ofKind(everyCase, GateCase.Kind.ABOVE_CAPACITY);
        List<GateCase> trialCases = settings.resumeTrials() == 0 ? List.of() : trialCases(settings);
        List<GateCase> scalingCases = settings.scalingProof() ? ScalingProof.cases(settings.seed()) : List.of();
        ShardPlan plan = ShardPlan.of(settings.shard(), everyCase, proofCase, trialCases, settings.resumeTrials(), scalingCases);
        List<GateCase> cases = plan.cases();
        log.info(opening(settings, converter, plan, trialCases));
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "kms-gate-case");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<Integer, Future<CaseResult>> caseRuns = new HashMap<>();
            Map<GateCase, List<Future<ResumeTrial>>> trialRuns = new ConcurrentHashMap<>();
            ResumeTrials resumeTrials = new ResumeTrials(runner);
            Future<GateReport.SelfProof> proofRun = null;
            Future<ScalingProof.Outcome> scalingRun = null;
            for (int unit : ShardPlan.startOrder(plan.heaviestFirst(), settings.threads())) {
                if (unit == ShardPlan.PROOF) {
                    proofRun = pool.submit(() -> selfProof(runner, proofCase));
                } else if (unit == ShardPlan.SCALING) {
                    scalingRun = pool.submit(() -> new ScalingProof(runner, settings.seed()).run());
                } else {
                    GateCase gateCase = cases.get(unit);
                    boolean interrupted = plan.trials() && trialCases.contains(gateCase);
                    caseRuns.put(unit, pool.submit(() -> {
                        CaseResult result = finished(runner.run(gateCase));
                        if (interrupted) {
                            // the trials need the uninterrupted run of their case: they start as soon as it is done
                            trialRuns.put(gateCase, startTrials(pool, resumeTrials, settings, result));
                        }
                        return result;
                    }));
                }
            }
            List<CaseResult> results = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                GateCase gateCase = cases.get(i);
                results.add(outcome(caseRuns.get(i), cause -> couldNotRun(gateCase, cause), gateCase.name()));
            }
            List<ResumeTrial> trials = new ArrayList<>();
            if (plan.trials()) {
                for (GateCase trialCase : trialCases) {
                    List<Future<ResumeTrial>> runs = trialRuns.get(trialCase);
                    if (runs == null) { // the case's own run threw: its trials fail, saying it committed nothing
                        runs = startTrials(pool, resumeTrials, settings, results.get(cases.indexOf(trialCase)));
                    }
                    trials.addAll(trialOutcomes(runs, trialCase, settings));
                }
            }
            GateReport.SelfProof proof = proofRun == null ? null : outcome(proofRun, cause -> new GateReport.SelfProof(proofCase.name(),
                    proofCase.revocations(), 0, List.of(), List.of(), List.of("the proof could not run: " + cause)), "the self-proof");
            Growth growth = null;
            if (scalingRun != null) {
                ScalingProof.Outcome scaling = outcome(scalingRun, cause -> new ScalingProof.Outcome(
                        couldNotRun(scalingCases.get(0), cause), couldNotRun(scalingCases.get(1), cause), null), "the scaling proof");
                results.add(scaling.small());
                results.add(scaling.large());
                growth = scaling.growth() != null ? scaling.growth() : ScalingProof.unmeasured(scalingCases, "the proof could not run");
            }
            GateReport report = new GateReport(settings.transactionCapacity(), settings.strategy().id(), converter.name(), converter.isBuiltIn(),
                    settings.threads(), results, trials, proof, Duration.ofNanos(System.nanoTime() - started), settings.shard(), null, null,
                    growth);
            GateTable.print(report, log);
            return report;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String opening(Settings settings, ConverterUnderTest converter, ShardPlan plan, List<GateCase> trialCases) {
        String cases = settings.shard().all()
                ? plan.scales() ? String.format(Locale.ROOT, "%d cases (2 of them the scaling proof's)", plan.cases().size() + 2)
                        : String.format(Locale.ROOT, "%d cases", plan.cases().size())
                : String.format(Locale.ROOT, "%s: %d of %d cases (%s)%s", settings.shard().label(), plan.cases().size(), plan.allCases(),
                        plan.cases().isEmpty() ? "none" : plan.cases().stream().map(GateCase::name).collect(Collectors.joining(", ")),
                        plan.proves() ? ", the self-proof" : "", plan.scales() ? ", the scaling proof" : "");
        return settings.converter() == null
                ? String.format(Locale.ROOT, "KMS Gate regression: strategy %s, transactionCapacity %,d, %s on %d threads.",
                        settings.strategy(), settings.transactionCapacity(), cases, settings.threads())
                : String.format(Locale.ROOT, "KMS Gate regression: converter %s, transactionCapacity %,d, %s and %s on %d threads.",
                        converter.name(), settings.transactionCapacity(), cases, trials(settings, plan, trialCases), settings.threads());
    }

    /** {@code resume trials (3 on case 10C, one at each commit of case dirty up to 12)}, or {@code 0 resume trials}. */
    private static String trials(Settings settings, ShardPlan plan, List<GateCase> trialCases) {
        if (!plan.trials() || trialCases.isEmpty()) {
            return "0 resume trials";
        }
        return String.format(Locale.ROOT, "resume trials (%d on case %s, one at each commit of case %s up to %d)", settings.resumeTrials(),
                trialCases.stream().filter(c -> c.kind() != GateCase.Kind.DIRTY).findFirst().orElseThrow().name(),
                ofKind(trialCases, GateCase.Kind.DIRTY).name(), DIRTY_TRIALS_PER_TRIAL * settings.resumeTrials());
    }

    /**
     * Where the resume trials interrupt runs: the boundary case with the most revocations (the most
     * commits to land in), then the dirty one (quarantined rows and unmatched revocations, which a
     * resume must account for too).
     */
    private static List<GateCase> trialCases(Settings settings) {
        List<GateCase> boundaries = GateCase.boundaryCases(settings.transactionCapacity(), settings.largeMultiple(), settings.seed());
        // at capacity 1 with a large multiple of 3, the large case's count is 2C+1's, so it runs as that one
        GateCase largest = boundaries.stream().filter(c -> c.kind().boundary()).max(Comparator.comparingLong(GateCase::revocations)).orElseThrow();
        return List.of(largest, ofKind(boundaries, GateCase.Kind.DIRTY));
    }

    /** The case of a kind that every gate has. */
    private static GateCase ofKind(List<GateCase> cases, GateCase.Kind kind) {
        return cases.stream().filter(c -> c.kind() == kind).findFirst().orElseThrow(() -> new IllegalStateException("no " + kind + " case"));
    }

    private static CaseResult couldNotRun(GateCase failed, Throwable cause) {
        return new CaseResult(failed, new CaseSize(0, 0, 0), 0, 0, 0, List.of("could not run: " + cause),
                cause.toString(), null, null, Duration.ZERO, TransactionHistory.none(), Duration.ZERO, List.of());
    }

    /** Logs a case as it finishes, so a long gate is never silent until its table. */
    private CaseResult finished(CaseResult result) {
        String line = String.format(Locale.ROOT, "case %s: %s (%,d revocations, %,d transactions, the largest %,d) in %.1f s.",
                result.gateCase().name(), result.passed() ? "PASS" : "FAIL", result.size().revocations(), result.transactions(),
                result.largestTransaction(), result.elapsed().toMillis() / 1000.0);
        synchronized (log) {
            if (result.passed()) {
                log.info(line);
            } else {
                log.warn(line);
            }
        }
        return result;
    }

    /**
     * Starts the resume trials of one case on its uninterrupted run: {@code resumeTrials} seeded
     * crash points on the largest boundary case, a crash at every commit of the dirty case (at most
     * {@link #DIRTY_TRIALS_PER_TRIAL} times {@code resumeTrials}), whose trials are numbered after
     * the first case's.
     */
    private static List<Future<ResumeTrial>> startTrials(ExecutorService pool, ResumeTrials trials, Settings settings,
                                                         CaseResult uninterrupted) {
        long commits = uninterrupted.transactions();
        GateCase trialCase = uninterrupted.gateCase();
        List<Long> points = trialCase.kind() == GateCase.Kind.DIRTY
                ? ResumeTrials.everyCommit(commits, DIRTY_TRIALS_PER_TRIAL * settings.resumeTrials(), settings.seed())
                : ResumeTrials.seededPoints(commits, settings.resumeTrials(), settings.seed());
        List<Future<ResumeTrial>> runs = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            int number = firstTrialNumber(settings, trialCase) + i;
            long crashAt = points.get(i);
            runs.add(pool.submit(() -> trials.run(uninterrupted, number, crashAt)));
        }
        return runs;
    }

    /** The largest boundary case's trials are 1 to resumeTrials; the dirty case's follow them. */
    private static int firstTrialNumber(Settings settings, GateCase trialCase) {
        return trialCase.kind() == GateCase.Kind.DIRTY ? settings.resumeTrials() + 1 : 1;
    }

    private static List<ResumeTrial> trialOutcomes(List<Future<ResumeTrial>> runs, GateCase trialCase, Settings settings) {
        List<ResumeTrial> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            int number = firstTrialNumber(settings, trialCase) + i;
            results.add(outcome(runs.get(i), cause -> new ResumeTrial(number, trialCase.name(), 0, 0,
                    List.of("could not run: " + cause), null, Duration.ZERO), "resume trial " + number));
        }
        return results;
    }

    /** Waits for a task, turning one that threw into its failed result. */
    private static <T> T outcome(Future<T> task, Function<Throwable, T> failed, String name) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmsUsageException(Messages.format(Messages.GATE_INTERRUPTED, name), e);
        } catch (ExecutionException e) {
            return failed.apply(e.getCause());
        }
    }

    /** KMS Gate's reference defect on a case above the capacity: it must be refused, and what it left must fail verification. */
    private GateReport.SelfProof selfProof(CaseRunner runner, GateCase proofCase) {
        Settings settings = runner.settings();
        Database source = runner.sourceOf(proofCase);
        Database target = runner.target(proofCase.name(), "reference-defect");
        TransactionLedger ledger = new TransactionLedger();
        List<String> blindness = new ArrayList<>();
        long refusedAt = 0;
        List<Integer> failed = List.of();
        List<Integer> failedData = List.of();
        try (FileClaim claim = runner.claimSource(proofCase); Lease sourceLease = source.lease(); Lease targetLease = target.lease()) {
            runner.source(proofCase);
            target.drop();
            try {
                referenceConverter.apply(new ConversionSettings(source, target, settings.transactionCapacity(),
                        Strategy.SINGLE_TRANSACTION, false, ledger, settings.progressInterval()));
                blindness.add("its conversion of " + proofCase.revocations() + " revocations at capacity "
                        + settings.transactionCapacity() + " reported success");
            } catch (KmsDefectException e) {
                refusedAt = e.getCause() instanceof TransactionCapacityExceededException refusal ? refusal.attempted() : ledger.largestTransaction();
            }
            if (ledger.refusedTransactions() == 0 || ledger.largestTransaction() <= settings.transactionCapacity()) {
                blindness.add("the capacity guard refused no transaction (largest " + ledger.largestTransaction() + ")");
            }
            VerificationReport full = verifier.apply(new Verifier.Settings(source, target, settings.mismatchLimit(), true));
            failed = failedNumbers(full);
            if (full.passed()) {
                blindness.add("verification of what it left passed");
            }
            VerificationReport data = verifier.apply(new Verifier.Settings(source, target, settings.mismatchLimit(), false));
            failedData = failedNumbers(data);
            if (data.result(Invariant.REVOCATION_COUNT).status() != InvariantResult.Status.FAILED
                    && data.result(Invariant.REVOCATION_SET).status() != InvariantResult.Status.FAILED) {
                blindness.add("the revocation invariants (4, 5) did not see the missing revocations");
            }
        } catch (KmsException e) {
            blindness.add("the proof could not run: " + e.getMessage());
        }
        return new GateReport.SelfProof(proofCase.name(), proofCase.revocations(), refusedAt, failed, failedData, blindness);
    }

    private static List<Integer> failedNumbers(VerificationReport report) {
        return report.failures().stream().map(r -> r.invariant().number()).toList();
    }
}
